/**
 * What the scientist does after training: reading run folders ({@code config.json}, {@code metrics.csv}),
 * summarising one run with an overfitting diagnosis, comparing several runs in one table, and
 * running ablation sweeps locally or as a SLURM array.
 */
package org.scanline.analysis;
