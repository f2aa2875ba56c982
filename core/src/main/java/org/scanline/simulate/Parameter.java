package org.scanline.simulate;

import org.apiguardian.api.API;

/**
 * The per-scan generator parameters recorded with every simulated scan. Each one is written to the
 * {@code .npz} as a float64 array {@code param_<key>} of length N; NaN means "not applicable"
 * (e.g. the second tip of a scan without a tip change).
 */
@API(status = API.Status.EXPERIMENTAL)
public enum Parameter {
    /** Edge of the square frame. */
    SCAN_SIZE_NM("scan_size_nm", "nm", "edge of the square scan frame"),
    /** Angle of the dimer rows of the first terrace against the fast axis. */
    ANGLE_DEG("angle_deg", "deg", "row direction of the first terrace against the fast axis"),
    /** Sample bias sign: −1 filled states, +1 empty states. */
    BIAS_SIGN("bias_sign", "", "−1 filled states (sample negative), +1 empty states"),
    /** Tip class the scan starts with (0–3). */
    TIP_STATE("tip_state", "", "tip state of the first line (0–3; 3 = unstable)"),
    /** Gaussian apex width (major axis) of the first tip. */
    SIGMA_NM("sigma_nm", "nm", "apex σ (major axis) of the first tip"),
    /** Ratio of the major to the minor apex width. */
    ANISOTROPY("anisotropy", "", "σ_major / σ_minor of the first tip (1 = round)"),
    /** Orientation of the major apex axis. */
    ANISOTROPY_ANGLE_DEG("anisotropy_angle_deg", "deg", "orientation of the major apex axis"),
    /** Number of secondary apices (ghosts) of the first tip. */
    GHOSTS("ghosts", "", "number of secondary apices of the first tip"),
    /** Offset of the first ghost along x. */
    GHOST_DX_NM("ghost_dx_nm", "nm", "offset of the first ghost along the fast axis"),
    /** Offset of the first ghost along y. */
    GHOST_DY_NM("ghost_dy_nm", "nm", "offset of the first ghost along the slow axis"),
    /** Weight of the first ghost relative to the main apex. */
    GHOST_WEIGHT("ghost_weight", "", "weight of the first ghost relative to the main apex"),
    /** Tip state after the tip change. */
    TIP_STATE_AFTER("tip_state_after", "", "tip state after the change (NaN without a change)"),
    /** Apex width after the tip change. */
    SIGMA_AFTER_NM("sigma_after_nm", "nm", "apex σ after the change (NaN without a change)"),
    /** Height jump at the tip change. */
    JUMP_PM("jump_pm", "pm", "height jump at the tip change (NaN without a change)"),
    /** Scale of the surface corrugation. */
    CORRUGATION_SCALE("corrugation_scale", "", "scale of the apparent lattice corrugation"),
    /** White noise per pixel. */
    WHITE_NOISE_PM("white_noise_pm", "pm", "white noise per pixel (standard deviation)"),
    /** 1/f noise along the fast axis. */
    PINK_NOISE_PM("pink_noise_pm", "pm", "1/f noise along the acquisition time (standard deviation)"),
    /** Random-walk step of the per-line offset. */
    LINE_WALK_PM("line_walk_pm", "pm", "standard deviation of the line-to-line offset random walk"),
    /** Plane tilt across the frame along x. */
    TILT_X_NM("tilt_x_nm", "nm", "height change across the frame along the fast axis"),
    /** Plane tilt across the frame along y. */
    TILT_Y_NM("tilt_y_nm", "nm", "height change across the frame along the slow axis"),
    /** Lateral drift per line along x. */
    DRIFT_X_NM("drift_x_nm", "nm/line", "lateral drift per line along the fast axis"),
    /** Lateral drift per line along y. */
    DRIFT_Y_NM("drift_y_nm", "nm/line", "lateral drift per line along the slow axis"),
    /** Amplitude of the piezo creep at line 0. */
    CREEP_NM("creep_nm", "nm", "lateral piezo creep displacement at line 0"),
    /** Decay length of the creep. */
    CREEP_LINES("creep_lines", "lines", "decay constant of the creep"),
    /** Feedback overshoot gain. */
    RING_GAIN("ring_gain", "", "feedback overshoot gain (fraction of a height change)"),
    /** Feedback ringing decay. */
    RING_DECAY_PX("ring_decay_px", "px", "decay length of the feedback ringing"),
    /** Feedback ringing period. */
    RING_PERIOD_PX("ring_period_px", "px", "period of the feedback ringing"),
    /** Number of single-atom steps. */
    STEPS("steps", "", "number of single-atom steps in the frame (0–2)"),
    /** Number of point defects. */
    DEFECTS("defects", "", "number of point defects (dangling bonds, missing dimers, clusters)"),
    /** Fraction of lines streaked by an unstable tip. */
    STREAK_FRACTION("streak_fraction", "", "fraction of lines with streaks (unstable tips)"),
    /** Number of single-pixel spikes. */
    SPIKES("spikes", "", "number of single-pixel spikes"),
    /** Line of a single-line glitch. */
    GLITCH_LINE("glitch_line", "", "line index of a single-line glitch (−1 none)");

    private final String key;
    private final String unit;
    private final String description;

    Parameter(String key, String unit, String description) {
        this.key = key;
        this.unit = unit;
        this.description = description;
    }

    /** @return the snake-case name used in files ({@code param_<key>} in the {@code .npz}) */
    public String key() {
        return key;
    }

    /** @return the unit, empty for dimensionless values */
    public String unit() {
        return unit;
    }

    /** @return one line saying what the parameter is */
    public String description() {
        return description;
    }
}
