/**
 * The DJL/PyTorch training backend: the recipe (class-weighted loss, AdamW, warm-up then plateau or
 * cosine schedule, clipping, augmentation, early stopping) as one {@code TrainingStep} that the loop
 * and {@code bench-train} share, the data a run trains on (a dataset file's split or fresh simulated
 * scans, both {@code TrainingData}), and the checkpoint state that makes a resume exact. The run folder
 * it writes into is {@link org.scanline.run}'s. Cross-cutting concerns (progress, metrics files,
 * checkpoints, early stopping) are {@link org.scanline.backend.TrainingListener}s.
 */
package org.scanline.backend;
