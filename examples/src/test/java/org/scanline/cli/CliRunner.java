package org.scanline.cli;

import java.io.PrintWriter;
import java.io.StringWriter;
import picocli.CommandLine;

/** Runs the real command line in-process and captures what it prints. */
record CliRunner(int code, String out, String err) {
    static CliRunner run(String... args) {
        return run(null, args);
    }

    static CliRunner run(java.util.function.Consumer<CommandLine> setup, String... args) {
        CommandLine cl = Main.commandLine();
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        if (setup != null) {
            setup.accept(cl);
        }
        int code = cl.execute(args);
        return new CliRunner(code, out.toString(), err.toString());
    }
}
