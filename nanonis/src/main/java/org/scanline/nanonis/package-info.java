/**
 * scanline on a running Nanonis microscope, the artifact {@code scanline-nanonis} on scanline-api
 * alone: a TCP client with typed calls for the common commands and {@code call} for any other
 * ({@link org.scanline.nanonis.NanonisClient}), the loop that classifies each newly acquired line and
 * acts on a bad tip ({@link org.scanline.nanonis.ScanWatcher} with a
 * {@link org.scanline.nanonis.BadTipPolicy} and a {@link org.scanline.nanonis.RecoveryLadder}), and a
 * simulated controller with injectable faults ({@link org.scanline.nanonis.SimulatedNanonis}), for
 * tests and for trying {@code scanline watch}.
 */
package org.scanline.nanonis;
