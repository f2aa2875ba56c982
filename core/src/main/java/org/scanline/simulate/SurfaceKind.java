package org.scanline.simulate;

import java.util.Arrays;
import java.util.Locale;
import java.util.function.Supplier;
import org.apiguardian.api.API;
import org.scanline.BadConfigException;

/**
 * Surfaces that are not H:Si(100), which a model trained on it must call unknown
 * ({@link OtherSurfaces} renders them). They come in two disjoint groups, fixed before the surface
 * check was designed: {@link Group#DESIGN} kinds may be looked at while designing and fitting the
 * check; {@link Group#HELD_OUT} kinds are used only for its final measurement.
 */
@API(status = API.Status.EXPERIMENTAL)
public enum SurfaceKind {
    /** Au/Cu/Ag(111)-like close-packed metal, hexagonal 0.25–0.29 nm. */
    HCP_METAL("hcp-metal", Group.DESIGN, LatticeSurfaces.HcpMetal::new),
    /** Graphite (HOPG), hexagonal 0.246 nm, sometimes with a moiré. */
    GRAPHITE("graphite", Group.DESIGN, LatticeSurfaces.Graphite::new),
    /** NaCl-like square lattice 0.39–0.56 nm. */
    ROCK_SALT("rock-salt", Group.DESIGN, LatticeSurfaces.RockSalt::new),
    /** Molecular layer: cells of 1–3 nm with blob motifs. */
    MOLECULAR("molecular", Group.DESIGN, DisorderedSurfaces.Molecular::new),
    /** A crashed tip: noise, streaks, jumps, saturation. */
    CRASHED_TIP("crashed-tip", Group.DESIGN, DisorderedSurfaces.CrashedTip::new),
    /** Au(111) herringbone reconstruction. */
    HERRINGBONE("herringbone", Group.HELD_OUT, LatticeSurfaces.Herringbone::new),
    /** Generic large-cell hexagonal reconstruction (2.0–3.6 nm cell), Si(111)-7×7-like. */
    LARGE_CELL_HEX("large-cell-hex", Group.HELD_OUT, LatticeSurfaces.LargeCellHex::new),
    /** Rough metal with many steps of other heights. */
    TERRACED_METAL("terraced-metal", Group.HELD_OUT, DisorderedSurfaces.TerracedMetal::new),
    /** Cu(110)-(2×1)O-like stripes. */
    CU_O_STRIPES("cu-o-stripes", Group.HELD_OUT, LatticeSurfaces.CuOStripes::new),
    /** Amorphous or adsorbate-covered film. */
    AMORPHOUS("amorphous", Group.HELD_OUT, DisorderedSurfaces.Amorphous::new);

    /** Whether a kind may be used while designing the surface check. */
    public enum Group {
        /** Looked at while designing and fitting the check. */
        DESIGN,
        /** Never used until the final measurement. */
        HELD_OUT
    }

    private final String key;
    private final Group group;
    private final Supplier<OtherSurface> factory;

    SurfaceKind(String key, Group group, Supplier<OtherSurface> factory) {
        this.key = key;
        this.group = group;
        this.factory = factory;
    }

    /** @return the name used on the command line and in files, e.g. {@code hcp-metal} */
    public String key() {
        return key;
    }

    /** @return design or held-out */
    public Group group() {
        return group;
    }

    OtherSurface create() {
        return factory.get();
    }

    /**
     * @param key a kind's {@link #key()}
     * @return that kind
     * @throws BadConfigException naming the kinds there are
     */
    public static SurfaceKind of(String key) {
        for (SurfaceKind k : values()) {
            if (k.key.equals(key.toLowerCase(Locale.ROOT))) {
                return k;
            }
        }
        throw new BadConfigException("unknown surface kind " + key + "; kinds: "
                + Arrays.stream(values()).map(SurfaceKind::key).toList());
    }
}
