/**
 * Reference numbers for the simulator: feature baselines (logistic regression on per-line power
 * spectra, a random forest on richer image statistics) that show how hard the simulated classes are
 * for models that ignore the image structure.
 */
package org.scanline.bench;
