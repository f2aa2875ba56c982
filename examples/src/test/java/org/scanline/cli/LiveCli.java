package org.scanline.cli;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine;

/** The real command line on a thread of its own, with its output readable while it runs: for --view tests. */
final class LiveCli implements AutoCloseable {
    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();
    private final Thread thread;
    private volatile int code = -1;

    private LiveCli(String... args) {
        CommandLine cl = Main.commandLine();
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        thread = new Thread(() -> code = cl.execute(args), "live-cli");
        thread.setDaemon(true);
        thread.start();
    }

    static LiveCli start(String... args) {
        return new LiveCli(args);
    }

    /** @return the first group of {@code pattern} in the output, once it is there */
    String await(Pattern pattern, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            Matcher m = pattern.matcher(out());
            if (m.find()) {
                return m.group(1);
            }
            if (!thread.isAlive()) {
                break;
            }
            Thread.sleep(20);
        }
        throw new AssertionError("no " + pattern + " in: " + out() + err());
    }

    /** Ends a --view-keep-s wait (what Ctrl-C does from a terminal) and waits for the exit code. */
    int stop(Duration timeout) throws InterruptedException {
        thread.interrupt();
        return join(timeout);
    }

    int join(Duration timeout) throws InterruptedException {
        thread.join(TimeUnit.NANOSECONDS.toMillis(timeout.toNanos()));
        if (thread.isAlive()) {
            throw new AssertionError("still running after " + timeout + ": " + out() + err());
        }
        return code;
    }

    String out() {
        synchronized (out.getBuffer()) {
            return out.toString();
        }
    }

    String err() {
        return err.toString();
    }

    @Override
    public void close() {
        if (thread.isAlive()) {
            thread.interrupt();
        }
    }
}
