/**
 * Benchmarks and reference numbers: JMH benchmarks of the embedded runtime on the reference-size
 * causal model (per-line streaming, full scan, batch, prefix-recompute baseline; run them with
 * {@code ./scanline bench-runtime}), and feature baselines for the simulator (logistic regression on
 * per-line power spectra, a random forest on image statistics) that show how hard the simulated
 * classes are for models that ignore the image structure.
 */
package org.scanline.bench;
