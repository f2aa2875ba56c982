package org.scanline.train;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks a config key's one declaration (a {@link TrainingConfig.Builder} field, a
 * {@link SimulationConfig} component) with what the command line and the environment call it;
 * {@link TrainingConfig#settings()} reads it.
 */
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.FIELD, ElementType.RECORD_COMPONENT})
@interface Key {
    /** @return the {@code train} flag, or empty when the key is set with {@code --set} only */
    String flag() default "";

    /** @return the flag's parameter label */
    String label() default "VALUE";

    /** @return the environment variable that sets the key, or empty for none */
    String env() default "";

    /** @return what the key sets, one sentence without a final period */
    String help();
}
