package org.scanline.backend;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** The allocator advice: given on Linux when a setting is missing, and the launcher exports the same values. */
class MallocSettingsTest {

    @Test
    void advisesOnLinuxUntilEverySettingIsPresent() {
        Map<String, String> env = new HashMap<>();
        String advice = MallocSettings.advice(env, "Linux").orElseThrow();
        assertTrue(advice.contains(MallocSettings.exportLine()), advice);
        env.put("MALLOC_ARENA_MAX", "1");
        env.put("MALLOC_MMAP_MAX_", "0");
        assertTrue(MallocSettings.advice(env, "Linux").isPresent(), "one setting is still missing");
        env.put("MALLOC_TRIM_THRESHOLD_", "1000");
        assertTrue(MallocSettings.advice(env, "Linux").isEmpty(), "the user's own values stand");
        assertTrue(MallocSettings.advice(Map.of(), "Mac OS X").isEmpty(), "glibc settings mean nothing elsewhere");
    }

    @Test
    void describesWhatIsSet() {
        assertEquals("glibc defaults", MallocSettings.describe(Map.of("PATH", "/bin")));
        assertEquals("MALLOC_ARENA_MAX=4", MallocSettings.describe(Map.of("MALLOC_ARENA_MAX", "4")));
    }

    @Test
    void theLauncherExportsTheRecommendedValues() throws Exception {
        Path script = Path.of("..", "scanline");
        String text = Files.readString(script);
        for (Map.Entry<String, String> e : MallocSettings.RECOMMENDED.entrySet()) {
            Matcher m = Pattern.compile(Pattern.quote(e.getKey()) + "=\"\\$\\{" + Pattern.quote(e.getKey()) + ":-([^}]*)}\"")
                    .matcher(text);
            assertTrue(m.find(), script + " does not export " + e.getKey());
            assertEquals(e.getValue(), m.group(1), script + ": " + e.getKey());
        }
    }
}
