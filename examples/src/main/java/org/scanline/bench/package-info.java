/**
 * Reference numbers: feature baselines for the simulator (logistic regression on per-line power
 * spectra, a random forest on richer image statistics) that show how hard the simulated classes are
 * for models that ignore the image structure, and JMH benchmarks of the embedded runtime on the
 * reference-size causal model (per-line streaming latency, full-scan latency, batch throughput, the
 * prefix-recompute baseline; run them with {@code ./scanline bench-runtime}).
 */
package org.scanline.bench;
