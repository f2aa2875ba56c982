package org.scanline.cli;

import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtLoggingLevel;
import java.io.PrintWriter;
import org.scanline.ScanlineException;
import org.scanline.run.Provenance;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * The {@code scanline} command line. Library errors ({@link ScanlineException}) print their
 * message alone and exit 1; {@code -v} prints the stack trace too.
 */
@Command(name = "scanline", mixinStandardHelpOptions = true, versionProvider = Main.Version.class,
        description = "Classify STM scans line by line by tip state.",
        footerHeading = "%nEnvironment:%n",
        footer = {"  SCANLINE_JAVA_OPTS   JVM options of the ./scanline launcher (default: -Xmx8g), e.g. -Xmx2g.",
            "  TORCH_CPP_LOG_LEVEL  libtorch's messages on stderr: INFO, WARNING, ERROR (default) or FATAL.",
            "  MALLOC_ARENA_MAX, MALLOC_MMAP_MAX_, MALLOC_TRIM_THRESHOLD_: glibc's allocator;",
            "                       the launcher sets them so that training keeps its freed",
            "                       tensors (docs/training.md); values you set win.",
            "  train also reads LEARNING_RATE, BATCH_SIZE, NUM_EPOCHS, SEED, DATA_PATH and more: see train --help.",
            "",
            "Run a command with --help for its options, e.g. scanline classify --help."},
        subcommands = {CommandLine.HelpCommand.class, DemoCommand.class, InspectCommand.class, SimulateCommand.class, CalibrateSurfaceCommand.class, BaselineCommand.class, TrainCommand.class, BenchTrainCommand.class, BenchRuntimeCommand.class, ExportCommand.class, ClassifyCommand.class, StreamCommand.class, WatchCommand.class, NanonisSimCommand.class, AnalyzeCommand.class, EvaluateCommand.class, SweepCommand.class})
public final class Main implements java.util.concurrent.Callable<Integer> {

    @Option(names = {"-v", "--verbose"}, scope = CommandLine.ScopeType.INHERIT,
            description = "Print stack traces of errors (default: ${DEFAULT-VALUE}).")
    boolean verbose;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    /** Without a command there is nothing to do: the usage, on stderr, and exit code 2 (a usage error). */
    @Override
    public Integer call() {
        spec.commandLine().usage(spec.commandLine().getErr());
        return 2;
    }

    /** @return a command line with every subcommand and the error handling wired */
    public static CommandLine commandLine() {
        CommandLine cl = new CommandLine(new Main());
        cl.setExecutionExceptionHandler((ex, cmd, parsed) -> {
            PrintWriter err = cmd.getErr();
            boolean verbose = parsed.matchedOption("-v") != null
                    || parsed.asCommandLineList().stream().anyMatch(c -> c.getParseResult().matchedOption("-v") != null);
            if (ex instanceof ScanlineException || ex instanceof java.io.UncheckedIOException
                    || ex instanceof java.io.IOException) {
                err.println(cmd.getColorScheme().errorText("error: " + ex.getMessage()));
                if (verbose) {
                    ex.printStackTrace(err);
                }
                return 1;
            }
            throw ex;
        });
        return cl;
    }

    /**
     * Runs the command line and exits with its code.
     *
     * @param args command-line arguments
     */
    public static void main(String[] args) {
        System.setProperty("ai.djl.offline", "true");
        // ONNX Runtime also logs every failing node on stderr (in red), although the same failure comes
        // back as an exception that the command reports with the file's name: e.g. the probe of a model
        // whose max_lines its graph cannot reach. The process's environment is made here, before any
        // session, at FATAL; later calls to getEnvironment() get this one.
        OrtEnvironment.getEnvironment(OrtLoggingLevel.ORT_LOGGING_LEVEL_FATAL);
        System.exit(commandLine().execute(args));
    }

    /** Reports the version that run folders and model files record. */
    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            return new String[] {"scanline " + Provenance.libraryVersion()};
        }
    }
}
