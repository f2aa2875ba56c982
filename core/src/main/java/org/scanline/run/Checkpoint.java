package org.scanline.run;

import org.apiguardian.api.API;

/** Which checkpoint of a run folder to load. */
@API(status = API.Status.EXPERIMENTAL)
public enum Checkpoint {
    /** The weights of the epoch with the lowest validation loss ({@code checkpoints/best.ckpt}). */
    BEST("best"),
    /** The weights after the last complete epoch, with optimiser state ({@code checkpoints/last.ckpt}). */
    LAST("last");

    private final String fileStem;

    Checkpoint(String fileStem) {
        this.fileStem = fileStem;
    }

    /** @return the file name inside {@code checkpoints/} */
    public String fileName() {
        return fileStem + ".ckpt";
    }
}
