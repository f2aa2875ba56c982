package org.scanline.cli;

import java.io.PrintWriter;
import org.scanline.BadConfigException;
import org.scanline.view.ScanView;
import picocli.CommandLine.Option;

/** The {@code --view} flags of {@code watch} and {@code demo}: a read-only page of the scan on localhost. */
final class ViewOptions {
    @Option(names = "--view", description = "Serve a live, read-only page of the scan (line-levelled image, per-line "
            + "class and tip state, decisions, latency) at --view-host:--view-port (default: off).")
    boolean view;

    @Option(names = "--view-port", defaultValue = "8765", paramLabel = "PORT",
            description = "Port of the --view page; 0 for any free one, printed at start (default: ${DEFAULT-VALUE}).")
    int port;

    @Option(names = "--view-host", defaultValue = "127.0.0.1", paramLabel = "ADDRESS",
            description = "Address the --view page is served on; 127.0.0.1 keeps it on this computer, 0.0.0.0 shows "
                    + "it to the network (default: ${DEFAULT-VALUE}).")
    String host;

    @Option(names = "--view-keep-s", paramLabel = "S",
            description = "With --view: seconds the page stays served after the run, for a browser opened late; a "
                    + "page already open keeps what it shows (default: watch 0, demo until Ctrl-C).")
    Double keepS;

    /** @return the started view, announced on {@code out}, or null without {@code --view} */
    ScanView start(PrintWriter out) {
        if (!view) {
            return null;
        }
        if (port < 0 || port > 65535) {
            throw new BadConfigException("--view-port: expected 0 to 65535, found " + port);
        }
        if (keepS != null && !(keepS >= 0)) {
            throw new BadConfigException("--view-keep-s: expected 0 or more seconds, found " + keepS);
        }
        ScanView v = ScanView.start(host, port);
        // Ctrl-C: open pages are told the run is over rather than left reconnecting
        Runtime.getRuntime().addShutdownHook(new Thread(v::close, "scanline-view-close"));
        out.println("view: " + v.uri() + " (read-only; open it in a browser)");
        out.flush();
        return v;
    }

    /**
     * Keeps serving after the run for {@code --view-keep-s}, or {@code defaultS} (infinite: until Ctrl-C).
     *
     * @param v the view, null for none
     * @param defaultS the command's default
     * @param out where to say so
     */
    void linger(ScanView v, double defaultS, PrintWriter out) {
        double s = keepS != null ? keepS : defaultS;
        if (v == null || s <= 0) {
            return;
        }
        out.println(Double.isInfinite(s) ? "view: still serving " + v.uri() + "; Ctrl-C to end"
                : String.format(java.util.Locale.ROOT, "view: serving %s for %.0f s more", v.uri(), s));
        out.flush();
        try {
            Thread.sleep(Double.isInfinite(s) ? Long.MAX_VALUE : (long) (s * 1000));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
