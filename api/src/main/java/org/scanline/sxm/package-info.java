/**
 * Nanonis {@code .sxm} scans read in scanline-api itself, so that acquisition software can classify
 * a file or a partial scan with no other dependency: {@link org.scanline.sxm.SxmScan} reads the
 * header and every channel, and gives any channel and direction ({@link org.scanline.sxm.TraceDirection};
 * backward traces mirrored into forward's pixel order) as lines in acquisition order, line 0 first;
 * lines not yet acquired are NaN, which {@code classifyAcquired} leaves out.
 *
 * <pre>{@code
 * SxmScan scan = SxmScan.read(Path.of("Z_0042.sxm"));
 * float[][] lines = scan.trace("Current", TraceDirection.BACKWARD);
 * Prediction p = classifier.classifyAcquired(lines);
 * }</pre>
 */
package org.scanline.sxm;
