/**
 * A run folder's files and provenance, read and written in one place: {@code metrics.csv}
 * ({@link org.scanline.run.MetricsCsv}, one header) and the library version every run folder and
 * model file records ({@link org.scanline.run.Provenance}). Training, analysis, export and the CLI
 * all go through these.
 */
package org.scanline.run;
