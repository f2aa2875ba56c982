package org.scanline.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.Callable;
import org.scanline.BadConfigException;
import org.scanline.ScanLineClassifier;
import org.scanline.nanonis.BadTipPolicy;
import org.scanline.nanonis.NanonisClient;
import org.scanline.nanonis.RecoveryLadder;
import org.scanline.nanonis.ScanWatcher;
import org.scanline.nanonis.WatchSettings;
import org.scanline.view.ScanView;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code scanline watch --nanonis HOST:PORT MODEL}: classifies a running Nanonis scan line by line
 * and acts on a bad tip (see {@link ScanWatcher}). Exit codes: 0 when the scan ended, 1 on an error,
 * 2 when the recovery budget was spent (the microscope made safe), 3 when a recovery failed (made
 * safe), 130 on Ctrl-C.
 */
@Command(name = "watch", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Watch a running Nanonis scan line by line and act on a bad tip.",
            "Polls Scan.FrameDataGrab, classifies every newly acquired line, and on a bad tip reports it, stops the "
                    + "scan, or stops it, runs the tip shaper and starts it again. Every decision goes to a JSON-lines log. "
                    + "Ends when no scan is running and every acquired line is classified (unless --follow). A lost "
                    + "connection is retried; a failed recovery, the recovery budget and Ctrl-C during a recovery leave "
                    + "the microscope safe (scan stopped, tip withdrawn). Exit codes: 0 the scan ended, 1 an error, "
                    + "2 the recovery budget was spent, 3 a recovery failed, 130 Ctrl-C. Try it against "
                    + "`scanline nanonis-sim`."})
final class WatchCommand implements Callable<Integer> {
    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMdd_HHmmss");

    @Option(names = "--nanonis", required = true, paramLabel = "HOST:PORT",
            description = "The Nanonis TCP programming interface, e.g. localhost:6501 (required).")
    String nanonis;

    @Parameters(index = "0", paramLabel = "MODEL", description = "The .onnx model.")
    Path model;

    @Option(names = "--action", defaultValue = "report", paramLabel = "report|stop|condition",
            description = "On a bad tip: report only, stop the scan, or stop + the recovery ladder + restart (default: ${DEFAULT-VALUE}).")
    String action;

    @Option(names = "--bad-class", split = ",", paramLabel = "CLASS",
            description = "Classes (names or indices) that mean a bad tip (default: rows,generic defects, the validated "
                    + "policy; every class but the first for a model without those classes).")
    List<String> badClasses;

    @Option(names = "--trigger", split = ",", defaultValue = "class", paramLabel = "class|tip-change",
            description = "What recognises a bad tip: a confident bad class, a tip change toward a bad tip state "
                    + "(models with a tip-state head), or both: class,tip-change (default: ${DEFAULT-VALUE}).")
    List<String> triggers;

    @Option(names = "--bad-state", split = ",", paramLabel = "STATE",
            description = "Tip states that mean a bad tip for the tip-change trigger (default: every state but the first).")
    List<String> badStates;

    @Option(names = "--tip-change-threshold",
            description = "Probability a tip state needs on a line to count toward a tip change (default: "
                    + "scanline-api's, 0.6 for the shipped model).")
    Double tipChangeThreshold;

    @Option(names = "--tip-change-lines",
            description = "Consecutive confident lines that confirm a tip change (default: scanline-api's, 3).")
    Integer tipChangeLines;

    @Option(names = "--confidence", defaultValue = "0.7",
            description = "Lowest probability of the bad classes together that means a bad tip (default: ${DEFAULT-VALUE}).")
    double confidence;

    @Option(names = "--min-lines", defaultValue = "8",
            description = "Fewest lines the model must have seen before a decision (default: ${DEFAULT-VALUE}).")
    int minLines;

    @Option(names = "--log", paramLabel = "FILE", description = "JSON-lines decision log (default: watch-<time>.jsonl).")
    Path log;

    @Option(names = "--follow", description = "Keep watching the next scans; end with Ctrl-C (default: off).")
    boolean follow;

    @Option(names = "--channel", defaultValue = "-1",
            description = "Scan.FrameDataGrab channel index (default: found by --channel-name among Scan.BufferGet's channels).")
    int channel;

    @Option(names = "--channel-name", defaultValue = "Z",
            description = "The channel's name, checked on every grab (default: ${DEFAULT-VALUE}).")
    String channelName;

    @Option(names = "--backward", description = "Classify the backward trace instead of the forward one (default: forward).")
    boolean backward;

    @Option(names = "--poll-ms", defaultValue = "100",
            description = "Longest time between polls; half a line when Scan.SpeedGet reports faster lines (default: ${DEFAULT-VALUE} ms).")
    long pollMs;

    @Option(names = "--timeout-s", defaultValue = "5", description = "Time limit of each call (default: ${DEFAULT-VALUE} s).")
    double timeoutS;

    @Option(names = "--shaper-wait-s", defaultValue = "60",
            description = "Longest tip shaper run (default: ${DEFAULT-VALUE} s).")
    double shaperWaitS;

    @Option(names = "--max-conditioning", defaultValue = "10",
            description = "Recovery steps allowed in the session; past them watch makes the microscope safe and exits 2 (default: ${DEFAULT-VALUE}).")
    int maxConditioning;

    @Option(names = "--ladder", split = ",", defaultValue = "shaper,pulse,area", paramLabel = "shaper|pulse|area",
            description = "The recovery ladder's steps, climbed while the tip stays bad (default: ${DEFAULT-VALUE}).")
    List<String> ladder;

    @Option(names = "--pulse", split = ",", defaultValue = "3:50,-3:50", paramLabel = "V:MS",
            description = "Bias pulse strategies of the pulse step, tried in turn (default: ${DEFAULT-VALUE}).")
    List<String> pulses;

    @Option(names = "--area-frames", defaultValue = "1.5",
            description = "How far the area step moves the frame, in frame widths (default: ${DEFAULT-VALUE}).")
    double areaFrames;

    @Option(names = "--grace-lines", defaultValue = "8",
            description = "Lines after a restart on which the tip is not judged (default: ${DEFAULT-VALUE}).")
    int graceLines;

    @Option(names = "--confirm-lines", defaultValue = "8",
            description = "Clean lines that confirm a recovered tip (default: ${DEFAULT-VALUE}).")
    int confirmLines;

    @Option(names = "--max-attempts", defaultValue = "6",
            description = "Recovery steps one bad-tip episode may take before watch gives up (default: ${DEFAULT-VALUE}).")
    int maxAttempts;

    @Option(names = "--max-recovery-s", defaultValue = "600",
            description = "Time one bad-tip episode may take before watch gives up (default: ${DEFAULT-VALUE} s).")
    double maxRecoveryS;

    @Option(names = "--no-withdraw",
            description = "Do not withdraw the tip when giving up or when a recovery fails (default: withdraw).")
    boolean noWithdraw;

    @Option(names = "--reconnect-s", defaultValue = "60",
            description = "How long a lost connection is retried, with backoff (default: ${DEFAULT-VALUE} s).")
    double reconnectS;

    @Option(names = "--no-data-s", defaultValue = "30",
            description = "Say so when a running scan sends nothing usable for this long (default: ${DEFAULT-VALUE} s).")
    double noDataS;

    @Option(names = "--rows-in-acquisition-order",
            description = "For a frame first seen complete: row 0 is the first line whatever the scan direction "
                    + "(default: up scans start at row 0, down scans at the last row).")
    boolean rowsInAcquisitionOrder;

    @Option(names = "--threads", defaultValue = "1", description = "ONNX Runtime threads (default: ${DEFAULT-VALUE}).")
    int threads;

    @Option(names = "--quiet", description = "Print only events and the summary, not every line (default: every line).")
    boolean quiet;

    @CommandLine.Mixin
    ViewOptions viewOptions = new ViewOptions();

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        String[] hostPort = hostPort(nanonis);
        int port = Integer.parseInt(hostPort[1]);
        WatchSettings.Action act = action(action);
        Duration timeout = seconds("--timeout-s", timeoutS);
        WatchSettings settings = WatchSettings.builder().channel(channel).channelName(channelName).forward(!backward)
                .poll(Duration.ofMillis(pollMs)).action(act).follow(follow).rowsInAcquisitionOrder(rowsInAcquisitionOrder)
                .ladder(ladder()).reconnectBudget(Duration.ofMillis((long) (Math.max(0, reconnectS) * 1000)))
                .noDataTimeout(seconds("--no-data-s", noDataS)).build();
        Path logFile = log != null ? log : Path.of("watch-" + LocalDateTime.now().format(STAMP) + ".jsonl");
        PrintWriter out = spec.commandLine().getOut();
        ScanLineClassifier.Options options = ScanLineClassifier.Options.builder().confidenceThreshold(confidence)
                .intraOpThreads(threads).tipChange(tipChangeThreshold(), tipChangeLines()).build();
        try (ScanLineClassifier classifier = ScanLineClassifier.open(model, options);
             ScanView view = viewOptions.start(out)) {
            Set<Integer> bad = badClasses(classifier.classNames());
            BadTipPolicy policy = policy(bad, classifier);
            try (NanonisClient client = NanonisClient.connect(hostPort[0], port, timeout)) {
                Printer printer = new Printer(out, bad, quiet, logFile);
                ScanWatcher.Listener listener = view == null ? printer : new WatchView(view, printer, classifier.classNames());
                ScanWatcher watcher = new ScanWatcher(client, () -> NanonisClient.connect(hostPort[0], port, timeout),
                        classifier, policy, settings, logFile, listener);
                Duration hookWait = settings.ladder().shaperWait().plus(settings.reconnectBudget())
                        .plus(timeout.multipliedBy(4)).plus(settings.poll()).plusSeconds(5);
                Thread hook = new Thread(() -> {
                    watcher.requestStop();
                    if (!watcher.awaitFinished(hookWait)) {
                        System.err.println("watch: gave up waiting for the watch loop to restore the microscope");
                    }
                }, "scanline-watch-ctrl-c");
                Runtime.getRuntime().addShutdownHook(hook);
                ScanWatcher.Summary s;
                try {
                    s = watcher.run();
                } finally {
                    try {
                        Runtime.getRuntime().removeShutdownHook(hook);
                    } catch (IllegalStateException shuttingDown) {
                        // the hook is running: it is waiting for this very return
                    }
                }
                viewOptions.linger(view, 0, out);
                return switch (s.outcome()) {
                    case ENDED -> 0;
                    case GAVE_UP -> 2;
                    case RECOVERY_FAILED -> 3;
                    case INTERRUPTED -> 130;
                };
            }
        }
    }

    private RecoveryLadder ladder() {
        List<RecoveryLadder.Step> steps = new ArrayList<>();
        for (String step : ladder) {
            switch (step.strip().toLowerCase(Locale.ROOT)) {
                case "shaper" -> steps.add(new RecoveryLadder.TipShaper());
                case "pulse" -> {
                    List<RecoveryLadder.Pulse> list = new ArrayList<>();
                    for (String p : pulses) {
                        String[] vm = p.strip().split(":");
                        try {
                            list.add(new RecoveryLadder.Pulse(Float.parseFloat(vm[0]), Duration.ofMillis(Long.parseLong(vm[1]))));
                        } catch (RuntimeException e) {
                            throw new BadConfigException("--pulse: expected VOLTS:MS (e.g. 3:50), found '" + p + "'");
                        }
                    }
                    steps.add(new RecoveryLadder.BiasPulse(list));
                }
                case "area" -> steps.add(new RecoveryLadder.FreshArea(areaFrames));
                default -> throw new BadConfigException("--ladder: expected shaper, pulse or area, found '" + step + "'");
            }
        }
        return RecoveryLadder.builder().steps(steps).shaperWait(seconds("--shaper-wait-s", shaperWaitS))
                .maxConditioning(maxConditioning).maxAttempts(maxAttempts).maxTime(seconds("--max-recovery-s", maxRecoveryS))
                .graceLines(graceLines).confirmLines(confirmLines).withdrawOnGiveUp(!noWithdraw).build();
    }

    private BadTipPolicy policy(Set<Integer> bad, ScanLineClassifier classifier) {
        List<BadTipPolicy.Trigger> list = new ArrayList<>();
        for (String t : triggers) {
            switch (t.strip().toLowerCase(Locale.ROOT)) {
                case "class" -> list.add(BadTipPolicy.badClass(bad, classifier.classNames(), confidence, minLines));
                case "tip-change" -> {
                    List<String> states = classifier.info().lineStateNames();
                    Set<String> badNames = new TreeSet<>();
                    if (badStates == null || badStates.isEmpty()) {
                        badNames.addAll(states.subList(Math.min(1, states.size()), states.size()));
                    } else {
                        badStates.forEach(x -> badNames.add(x.strip()));
                    }
                    try {
                        list.add(BadTipPolicy.tipChange(badNames, states, tipChangeThreshold(), minLines));
                    } catch (BadConfigException e) {
                        throw new BadConfigException("--trigger tip-change: " + model + ": " + e.getMessage(), e);
                    }
                }
                default -> throw new BadConfigException("--trigger: expected class or tip-change, found '" + t + "'");
            }
        }
        return new BadTipPolicy(list);
    }

    private double tipChangeThreshold() {
        return tipChangeThreshold != null ? tipChangeThreshold : ScanLineClassifier.Options.DEFAULT_TIP_CHANGE_THRESHOLD;
    }

    private int tipChangeLines() {
        return tipChangeLines != null ? tipChangeLines : ScanLineClassifier.Options.DEFAULT_TIP_CHANGE_LINES;
    }

    private Set<Integer> badClasses(List<String> names) {
        Set<Integer> bad = new TreeSet<>();
        if (badClasses == null || badClasses.isEmpty()) {
            if (names.containsAll(BadTipPolicy.VALIDATED_BAD_CLASSES)) {
                BadTipPolicy.VALIDATED_BAD_CLASSES.forEach(c -> bad.add(names.indexOf(c)));
                return bad;
            }
            for (int i = 1; i < names.size(); i++) {
                bad.add(i);
            }
            return bad;
        }
        for (String c : badClasses) {
            String name = c.strip();
            int i = names.indexOf(name);
            if (i < 0 && name.matches("\\d+")) {
                i = Integer.parseInt(name);
            }
            if (i < 0 || i >= names.size()) {
                throw new BadConfigException("--bad-class: the model has no class '" + name + "' (classes: " + names + ")");
            }
            bad.add(i);
        }
        return bad;
    }

    static WatchSettings.Action action(String s) {
        for (WatchSettings.Action a : WatchSettings.Action.values()) {
            if (a.label().equalsIgnoreCase(s.strip())) {
                return a;
            }
        }
        throw new BadConfigException("--action: expected report, stop or condition, found '" + s + "'");
    }

    /** @return host and port of {@code HOST:PORT} or {@code [IPv6]:PORT} */
    static String[] hostPort(String s) {
        int colon = s.lastIndexOf(':');
        String host = colon > 0 ? s.substring(0, colon) : "";
        String port = colon > 0 ? s.substring(colon + 1) : "";
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        }
        if (host.isEmpty() || !port.matches("\\d{1,5}") || Integer.parseInt(port) < 1 || Integer.parseInt(port) > 65535) {
            throw new BadConfigException("--nanonis: expected HOST:PORT (e.g. localhost:6501), found '" + s + "'");
        }
        return new String[] {host, port};
    }

    static Duration seconds(String option, double s) {
        if (!(s > 0) || s > 1e6) {
            throw new BadConfigException(option + ": expected a positive number of seconds, found " + s);
        }
        return Duration.ofNanos((long) (s * 1e9));
    }

    /** Prints lines, events and the summary. */
    private static final class Printer implements ScanWatcher.Listener {
        private final PrintWriter out;
        private final Set<Integer> bad;
        private final boolean quiet;
        private final Path logFile;
        private boolean header;

        Printer(PrintWriter out, Set<Integer> bad, boolean quiet, Path logFile) {
            this.out = out;
            this.bad = bad;
            this.quiet = quiet;
            this.logFile = logFile;
        }

        @Override
        public void line(ScanWatcher.LineResult r) {
            boolean acted = !r.action().equals("none");
            if (quiet && !acted) {
                return;
            }
            if (!header) {
                header = true;
                out.printf("%5s %5s  %-24s %6s  %s%n", "frame", "line", "predicted", "p", "tip");
            }
            String tip;
            if (r.decision().badTip()) {
                tip = "BAD: " + r.decision().reason() + (acted ? " → " + r.action() : "");
            } else if (bad.contains(r.prediction().classIndex())) {
                tip = "bad? (not yet: policy not met)";
            } else {
                tip = r.prediction().uncertain() ? "ok? (uncertain)" : "ok";
            }
            StringBuilder state = new StringBuilder();
            r.prediction().lineState().ifPresent(ls -> state.append(String.format(Locale.ROOT, "  [line: %s %.2f]",
                    ls.name(), ls.confidence())));
            r.prediction().tipChange().ifPresent(c -> state.append(String.format(Locale.ROOT,
                    "  [tip change at line %d: %s → %s]", c.line(), c.from(), c.to())));
            out.printf(Locale.ROOT, "%5d %5d  %-24s %6.3f  %s%s%n", r.frame(), r.line(), r.prediction().className(),
                    r.prediction().confidence(), tip, state);
            out.flush();
        }

        @Override
        public void note(String message) {
            out.println("watch: " + message);
            out.flush();
        }

        @Override
        public void summary(ScanWatcher.Summary s) {
            out.printf(Locale.ROOT, "%s%d frames, %d lines classified, %d of them with the tip judged bad; %d reported, "
                    + "%d scans stopped, %d recovery steps%s%n", s.interrupted() ? "interrupted: " : "", s.frames(),
                    s.lines(), s.badTipLines(), s.reports(), s.stops(), s.conditionings(),
                    s.gaveUp() ? "; recovery budget reached" : "");
            out.printf(Locale.ROOT, "lines skipped (non-finite pixels): %d; pixels repaired: %d; lines not read: %d; "
                    + "reconnections: %d; failed reads retried: %d; 0 × 0 grabs: %d; no-data notes: %d; lines not acted on "
                    + "(uncertain): %d%n", s.linesSkipped(), s.pixelsRepaired(), s.linesLost(), s.reconnects(),
                    s.readFaults(), s.emptyGrabs(), s.noDataNotes(), s.unactedReasons());
            if (!s.safeReason().isEmpty()) {
                out.println("watch: the microscope was made safe: " + s.safeReason());
            }
            if (s.latencySamples() > 0) {
                out.printf(Locale.ROOT, "latency, line acquired → decision (upper bound, includes the wait for the next "
                        + "poll): p50 %.1f ms, p99 %.1f ms over %d lines%n", s.latencyP50Nanos() / 1e6,
                        s.latencyP99Nanos() / 1e6, s.latencySamples());
            }
            if (s.latencySamples() > 0) {
                out.printf(Locale.ROOT, "processing, frame received → decision: p50 %.3f ms, p99 %.3f ms%n",
                        s.processingP50Nanos() / 1e6, s.processingP99Nanos() / 1e6);
            }
            out.println("decision log: " + logFile);
            out.flush();
        }
    }
}
