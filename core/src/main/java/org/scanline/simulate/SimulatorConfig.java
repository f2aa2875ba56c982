package org.scanline.simulate;

import java.util.Arrays;
import java.util.List;
import org.apiguardian.api.API;
import org.scanline.BadConfigException;

/**
 * What to simulate: scan shape, class shares, difficulty, label noise and output mode. The defaults
 * are the frozen dataset {@value #DEFAULT_VERSION}; any change to the defaults or to the physics
 * that changes the bytes produced for a seed is a breaking change that needs a new version name.
 *
 * <pre>{@code
 * SimulatorConfig cfg = SimulatorConfig.builder().lines(64).difficulty(1.5).build();
 * SimulatedDataset data = new Simulator(cfg).generate(42, 1000);
 * }</pre>
 *
 * @param lines lines per scan (≥ 24, so a tip change fits in [10, lines − 10])
 * @param pixels pixels per line (≥ 16)
 * @param difficulty 1 = the GENERATOR.md bands; 0 narrows the σ-band overlaps and the noise, 2–3
 *     widens them
 * @param classShares probability of each of the four classes (normalised; all ≥ 0, sum > 0)
 * @param labelNoise probability of flipping a scan label to a neighbouring class
 * @param asGordon per-line flatten and min–max to 8-bit values (0–255) like the published set
 * @param version dataset version name written with the data
 * @param frameMinNm smallest frame edge, nm (frames are drawn log-uniformly between the two)
 * @param frameMaxNm largest frame edge, nm
 * @param filledShare share of filled-state scans (sample bias negative); the rest are empty states
 * @param noiseScale factor on the white and 1/f noise (on top of the difficulty's)
 */
@API(status = API.Status.EXPERIMENTAL)
public record SimulatorConfig(int lines, int pixels, double difficulty, double[] classShares,
        double labelNoise, boolean asGordon, String version, double frameMinNm, double frameMaxNm,
        double filledShare, double noiseScale) {

    /** Name of the frozen default dataset. */
    public static final String DEFAULT_VERSION = "hsi100-v1";
    /** Class names, index = label. */
    public static final List<String> CLASS_NAMES =
            List.of("individual atoms", "asymmetries/dimers", "rows", "generic defects");
    static final double[] DEFAULT_SHARES = {0.0879, 0.4390, 0.1691, 0.3039};

    /** Validates and normalises the shares. */
    public SimulatorConfig {
        if (lines < 24) {
            throw new BadConfigException("simulator: lines must be ≥ 24 (a tip change lies in [10, lines − 10]), found " + lines);
        }
        if (pixels < 16) {
            throw new BadConfigException("simulator: pixels must be ≥ 16, found " + pixels);
        }
        if (!(difficulty >= 0 && difficulty <= 3)) {
            throw new BadConfigException("simulator: difficulty must be in [0, 3], found " + difficulty);
        }
        if (classShares == null || classShares.length != CLASS_NAMES.size()) {
            throw new BadConfigException("simulator: classShares needs " + CLASS_NAMES.size() + " values, found "
                    + (classShares == null ? "none" : Arrays.toString(classShares)));
        }
        double sum = 0;
        for (double s : classShares) {
            if (!(s >= 0) || Double.isInfinite(s)) {
                throw new BadConfigException("simulator: class shares must be finite and ≥ 0, found " + Arrays.toString(classShares));
            }
            sum += s;
        }
        if (sum <= 0) {
            throw new BadConfigException("simulator: class shares sum to 0");
        }
        double[] norm = new double[classShares.length];
        for (int i = 0; i < norm.length; i++) {
            norm[i] = classShares[i] / sum;
        }
        classShares = norm;
        if (!(labelNoise >= 0 && labelNoise <= 0.5)) {
            throw new BadConfigException("simulator: labelNoise must be in [0, 0.5], found " + labelNoise);
        }
        if (version == null || version.isBlank()) {
            throw new BadConfigException("simulator: version name must not be blank");
        }
        if (!(frameMinNm > 0 && frameMinNm <= frameMaxNm && frameMaxNm <= 10_000)) {
            throw new BadConfigException("simulator: frame sizes need 0 < min ≤ max ≤ 10000 nm, found " + frameMinNm
                    + ":" + frameMaxNm);
        }
        if (!(filledShare >= 0 && filledShare <= 1)) {
            throw new BadConfigException("simulator: filledShare must be in [0, 1], found " + filledShare);
        }
        if (!(noiseScale >= 0 && noiseScale <= 100)) {
            throw new BadConfigException("simulator: noiseScale must be in [0, 100], found " + noiseScale);
        }
    }

    /** @return a copy of the normalised class shares */
    @Override
    public double[] classShares() {
        return classShares.clone();
    }

    double share(int c) {
        return classShares[c];
    }

    /** @return the frozen defaults ({@value #DEFAULT_VERSION}) */
    public static SimulatorConfig defaults() {
        return builder().build();
    }

    /** @return a builder holding the defaults */
    public static Builder builder() {
        return new Builder();
    }

    /** @return a builder holding this config's values */
    public Builder toBuilder() {
        return new Builder().lines(lines).pixels(pixels).difficulty(difficulty).classShares(classShares)
                .labelNoise(labelNoise).asGordon(asGordon).version(version).frameNm(frameMinNm, frameMaxNm)
                .filledShare(filledShare).noiseScale(noiseScale);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof SimulatorConfig c && lines == c.lines && pixels == c.pixels
                && Double.compare(difficulty, c.difficulty) == 0 && Arrays.equals(classShares, c.classShares)
                && Double.compare(labelNoise, c.labelNoise) == 0 && asGordon == c.asGordon && version.equals(c.version)
                && Double.compare(frameMinNm, c.frameMinNm) == 0 && Double.compare(frameMaxNm, c.frameMaxNm) == 0
                && Double.compare(filledShare, c.filledShare) == 0 && Double.compare(noiseScale, c.noiseScale) == 0;
    }

    @Override
    public int hashCode() {
        return java.util.Objects.hash(lines, pixels, difficulty, Arrays.hashCode(classShares), labelNoise, asGordon, version,
                frameMinNm, frameMaxNm, filledShare, noiseScale);
    }

    @Override
    public String toString() {
        return "SimulatorConfig[version=" + version + ", lines=" + lines + ", pixels=" + pixels + ", difficulty=" + difficulty
                + ", classShares=" + Arrays.toString(classShares) + ", labelNoise=" + labelNoise + ", asGordon=" + asGordon
                + ", frameNm=" + frameMinNm + ":" + frameMaxNm + ", filledShare=" + filledShare + ", noiseScale=" + noiseScale
                + "]";
    }

    /** Builder with the {@value #DEFAULT_VERSION} defaults. */
    public static final class Builder {
        private int lines = 128;
        private int pixels = 128;
        private double difficulty = 1.0;
        private double[] classShares = DEFAULT_SHARES.clone();
        private double labelNoise = 0.06;
        private boolean asGordon;
        private String version = DEFAULT_VERSION;
        private double frameMinNm = 8;
        private double frameMaxNm = 25;
        private double filledShare = 0.7;
        private double noiseScale = 1;

        private Builder() {
        }

        /** @param min smallest frame edge, nm @param max largest, nm (equal: one size) @return this */
        public Builder frameNm(double min, double max) {
            frameMinNm = min;
            frameMaxNm = max;
            return this;
        }

        /** @param v share of filled-state scans, 0–1 (0.7 by default) @return this */
        public Builder filledShare(double v) {
            filledShare = v;
            return this;
        }

        /** @param v factor on the white and 1/f noise (1 by default) @return this */
        public Builder noiseScale(double v) {
            noiseScale = v;
            return this;
        }

        /** @param v lines per scan @return this */
        public Builder lines(int v) {
            lines = v;
            return this;
        }

        /** @param v pixels per line @return this */
        public Builder pixels(int v) {
            pixels = v;
            return this;
        }

        /** @param v difficulty in [0, 3] @return this */
        public Builder difficulty(double v) {
            difficulty = v;
            return this;
        }

        /** @param v four class shares @return this */
        public Builder classShares(double... v) {
            classShares = v == null ? null : v.clone();
            return this;
        }

        /** @param v label-flip probability @return this */
        public Builder labelNoise(double v) {
            labelNoise = v;
            return this;
        }

        /** @param v Gordon-like 8-bit output @return this */
        public Builder asGordon(boolean v) {
            asGordon = v;
            return this;
        }

        /** @param v dataset version name @return this */
        public Builder version(String v) {
            version = v;
            return this;
        }

        /** @return the validated config */
        public SimulatorConfig build() {
            return new SimulatorConfig(lines, pixels, difficulty, classShares, labelNoise, asGordon, version, frameMinNm,
                    frameMaxNm, filledShare, noiseScale);
        }
    }
}
