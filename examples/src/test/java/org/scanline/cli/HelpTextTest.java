package org.scanline.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.Model.OptionSpec;

class HelpTextTest {

    @Test
    void everyFlagOfEveryCommandSaysItsDefault() {
        List<String> missing = new ArrayList<>();
        for (CommandLine sub : Main.commandLine().getSubcommands().values()) {
            for (OptionSpec o : sub.getCommandSpec().options()) {
                if (o.usageHelp() || o.versionHelp()) {
                    continue;
                }
                String d = String.join(" ", o.description()).toLowerCase(Locale.ROOT);
                if (!d.contains("default") && !d.contains("required")) {
                    missing.add(sub.getCommandName() + " " + o.longestName());
                }
            }
        }
        assertEquals(List.of(), missing, "options whose description gives no default");
    }

    @Test
    void theCommandListShowsWholeSentences() {
        for (CommandLine sub : Main.commandLine().getSubcommands().values()) {
            String[] d = sub.getCommandSpec().usageMessage().description();
            assertTrue(d.length > 0 && d[0].strip().endsWith("."), sub.getCommandName() + ": '"
                    + (d.length == 0 ? "" : d[0]) + "' is what `scanline --help` shows of it");
        }
    }

    @Test
    void noCommandIsAUsageErrorWithExitCode2() {
        CliRunner r = CliRunner.run();
        assertEquals(2, r.code());
        assertTrue(r.err().contains("Usage: scanline") && r.err().contains("SCANLINE_JAVA_OPTS"), r.err());
    }

    /**
     * The flags are generated from the config keys' one definition: each reaches its key (before,
     * --split-seed was declared but never passed on), and the environment variables are the seed's.
     */
    @Test
    void everyConfigFlagSetsItsKeyAndTheEnvironmentIsTheSeeds() {
        CommandLine cl = Main.commandLine();
        List<String> args = new ArrayList<>(List.of("train"));
        List<org.scanline.train.TrainingConfig.Setting> flagged = new ArrayList<>();
        for (org.scanline.train.TrainingConfig.Setting k : org.scanline.train.TrainingConfig.settings()) {
            if (!k.flag().isEmpty()) {
                flagged.add(k);
                args.add(k.flag() + "=text-of-" + k.name());
            }
        }
        cl.parseArgs(args.toArray(String[]::new));
        TrainCommand train = cl.getSubcommands().get("train").getCommand();
        java.util.Map<String, String> flags = train.flags();
        for (org.scanline.train.TrainingConfig.Setting k : flagged) {
            assertEquals("text-of-" + k.name(), flags.get(k.name()), k.flag());
        }
        assertTrue(flagged.stream().anyMatch(k -> k.name().equals("splitSeed")), "--split-seed is a flag");
        assertEquals(java.util.Set.of("LEARNING_RATE", "BATCH_SIZE", "NUM_EPOCHS", "SEED", "WEIGHT_DECAY",
                "EARLY_STOPPING_PATIENCE", "D_MODEL", "NUM_HEADS", "NUM_LAYERS", "DROPOUT", "DATA_PATH", "TRAIN_RATIO",
                "VAL_RATIO", "CHECKPOINT_BASE_DIR"), org.scanline.backend.ConfigResolver.ENVIRONMENT.keySet());
        String help = cl.getSubcommands().get("train").getUsageMessage(CommandLine.Help.Ansi.OFF).replaceAll("\\s+", " ");
        assertTrue(help.contains("LEARNING_RATE") && help.contains("warmupStartLr") && help.contains("convChannels"),
                help);
    }

    @Test
    void trainsFlagDefaultsAreTheConfigDefaults() {
        var defaults = org.scanline.train.TrainingConfig.defaults();
        CommandLine train = Main.commandLine().getSubcommands().get("train");
        String help = train.getUsageMessage(CommandLine.Help.Ansi.OFF).replaceAll("\\s+", " ");
        assertTrue(help.contains("Most epochs (default: " + defaults.epochs() + ";"), help);
        assertTrue(help.contains("Transformer width (default: " + defaults.dModel() + ";"), help);
        assertTrue(help.contains("Transformer layers (default: " + defaults.numLayers() + ";"), help);
        assertTrue(help.contains("Early-stopping patience in epochs, 0 for none (default: "
                + defaults.earlyStoppingPatience() + ";"), help);
        assertTrue(help.contains("(default: " + defaults.batchSize() + ")"), help);
        assertTrue(help.contains("Seed of the stratified train/validation/test split (default: " + defaults.splitSeed()
                + ")"), help);
    }
}
