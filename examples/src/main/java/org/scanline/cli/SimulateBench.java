package org.scanline.cli;

import java.io.PrintStream;
import org.scanline.simulate.SimulatedDataset;
import org.scanline.simulate.Simulator;
import org.scanline.simulate.SimulatorConfig;

/** Throughput of the simulator: scans per second with 1 and 2 worker threads, after a warm-up. */
final class SimulateBench {
    private SimulateBench() {
    }

    static void run(SimulatorConfig cfg, double seconds, PrintStream out) {
        Simulator sim = new Simulator(cfg);
        int batch = 2000;
        long checksum = 0;
        // Warm-up: let the JIT compile the render loops.
        for (int i = 0; i < 3; i++) {
            checksum += sim.generate(99, 0, batch, 2, null).count();
        }
        out.printf("simulator %s, %d × %d, difficulty %.2f, %d processors%n", cfg.version(), cfg.lines(), cfg.pixels(),
                cfg.difficulty(), Runtime.getRuntime().availableProcessors());
        java.lang.management.ThreadMXBean mx = java.lang.management.ManagementFactory.getThreadMXBean();
        for (int threads = 1; threads <= 2; threads++) {
            long n = 0;
            long c0 = mx.getCurrentThreadCpuTime();
            long t0 = System.nanoTime();
            long seed = 1;
            while (System.nanoTime() - t0 < seconds * 1e9) {
                SimulatedDataset d = sim.generate(seed++, 0, batch, threads, null);
                checksum += Float.floatToIntBits(d.dataset().images()[0]);
                n += batch;
            }
            double s = (System.nanoTime() - t0) / 1e9;
            out.printf("threads=%d: %d scans in %.2f s wall = %.0f scans/s", threads, n, s, n / s);
            if (threads == 1) {
                // One thread generates on the calling thread: its CPU time is unaffected by other load.
                double cpu = (mx.getCurrentThreadCpuTime() - c0) / 1e9;
                out.printf("; %.2f s CPU = %.0f scans per CPU-second", cpu, n / cpu);
            }
            out.println();
        }
        out.println("(checksum " + checksum + ")");
    }
}
