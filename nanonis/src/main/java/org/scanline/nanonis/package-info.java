/**
 * scanline on a running Nanonis microscope (the artifact {@code scanline-nanonis}, on scanline-api alone): a TCP client for the few commands of the Nanonis
 * programming interface that watching a scan needs ({@link org.scanline.nanonis.NanonisClient}),
 * the loop that classifies each newly acquired line and acts on a bad tip
 * ({@link org.scanline.nanonis.ScanWatcher} with a {@link org.scanline.nanonis.BadTipPolicy}), and a
 * simulated Nanonis server that serves simulated lines over the same protocol
 * ({@link org.scanline.nanonis.SimulatedNanonis}), for tests and for trying {@code scanline watch}.
 */
package org.scanline.nanonis;
