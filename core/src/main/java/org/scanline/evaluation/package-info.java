/**
 * Test-split evaluation of a trained run: overall and per-lines-seen metrics computed over any
 * {@link org.scanline.evaluation.ScanPredictor}, written as {@code evaluation.json} and
 * {@code predictions.csv} into the run folder.
 */
package org.scanline.evaluation;
