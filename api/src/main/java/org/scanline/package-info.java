/**
 * The public surface of scanline: classify STM scans line by line by tip state. {@link org.scanline.ScanLineClassifier} and {@link org.scanline.LineStream} run a model file; {@link org.scanline.Normalizer} is the one place lines are normalised; {@link org.scanline.ScanlineException} roots every error.
 */
package org.scanline;
