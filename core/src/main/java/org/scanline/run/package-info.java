/**
 * A run folder and its contract, read and written in one place: the folder and its file names
 * ({@link org.scanline.run.RunFolder}), its checkpoints ({@link org.scanline.run.Checkpoint},
 * {@link org.scanline.run.CheckpointFile}) and the model rebuilt from one
 * ({@link org.scanline.run.LoadedModel}), {@code metrics.csv} ({@link org.scanline.run.MetricsCsv}),
 * the split a run trained on ({@link org.scanline.run.RunSplits}) and its provenance
 * ({@link org.scanline.run.Provenance}: version, data hashes, {@code config.json}). Training,
 * evaluation, analysis, export and the CLI all go through these.
 */
package org.scanline.run;
