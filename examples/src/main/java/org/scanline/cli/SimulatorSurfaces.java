package org.scanline.cli;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.scanline.nanonis.SimulatedSurfaces;
import org.scanline.simulate.Parameter;
import org.scanline.simulate.SimulatedScan;
import org.scanline.simulate.Simulator;
import org.scanline.simulate.SimulatorConfig;

/**
 * The project simulator as the surface of {@code nanonis-sim} (registered under
 * {@code META-INF/services}): frame {@code f} of seed {@code s} is scan {@code f} among
 * individual-atom (good-tip) scans, and its bad-tip lines come from scan {@code f} among scans of the
 * bad class that are bad throughout (the simulator's class 3 also holds tip changes from a good state).
 */
public final class SimulatorSurfaces implements SimulatedSurfaces {
    private final Map<String, Simulator> simulators = new ConcurrentHashMap<>();

    @Override
    public Frame frame(long seed, int frame, boolean goodTip, int lines, int pixels, int badClass) {
        int cls = goodTip ? 0 : badClass;
        Simulator sim = simulators.computeIfAbsent(lines + "x" + pixels + "/" + cls, k -> {
            double[] shares = new double[4];
            shares[cls] = 1;
            return new Simulator(SimulatorConfig.builder().lines(lines).pixels(pixels).labelNoise(0).classShares(shares)
                    .build());
        });
        SimulatedScan s = goodTip ? sim.scan(seed, frame) : badScan(sim, seed, frame);
        return new Frame(s.image(), s.parameters().get(Parameter.SCAN_SIZE_NM));
    }

    private static SimulatedScan badScan(Simulator bad, long seed, int f) {
        SimulatedScan first = null;
        for (int j = 0; j < 16; j++) {
            SimulatedScan s = bad.scan(seed + 1, 16L * f + j);
            if (first == null) {
                first = s;
            }
            if (s.changeLine() < 0) {
                return s;
            }
        }
        return first;
    }
}
