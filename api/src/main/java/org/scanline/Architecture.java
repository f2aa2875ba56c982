package org.scanline;

import java.util.Locale;
import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import org.apiguardian.api.API;

/**
 * The model architectures scanline trains and runs. Each reads {@code [batch, lines, pixels]}
 * with any number of lines up to the model's maximum.
 */
@API(status = API.Status.STABLE)
public enum Architecture {
    /** Each line one token, a CLS token, learned positions, bidirectional encoder: one prediction per input. */
    VIT("vit"),
    /** 1D-CNN line tokenizer and causal self-attention: a prediction after every line, streamable with a key/value cache. */
    CAUSAL("causal"),
    /** Gordon et al.'s LRCN: a small CNN over a rolling window of lines, then an LSTM; a prediction per window position. */
    LRCN("lrcn");

    private final String id;

    Architecture(String id) {
        this.id = id;
    }

    /** @return the lower-case name used in configs, flags and model metadata */
    @JsonValue
    public String id() {
        return id;
    }

    /** @return true if the model emits one prediction per input line (causal, lrcn) */
    public boolean predictsPerLine() {
        return this != VIT;
    }

    /**
     * @param id a name such as {@code causal} (case-insensitive)
     * @return the architecture
     * @throws BadConfigException if none has that name
     */
    @JsonCreator
    public static Architecture fromId(String id) {
        if (id != null) {
            for (Architecture a : values()) {
                if (a.id.equalsIgnoreCase(id.trim())) {
                    return a;
                }
            }
        }
        throw new BadConfigException("unknown architecture '" + id + "': expected one of vit, causal, lrcn");
    }

    @Override
    public String toString() {
        return id.toLowerCase(Locale.ROOT);
    }
}
