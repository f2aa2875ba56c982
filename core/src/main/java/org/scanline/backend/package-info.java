/**
 * The DJL/PyTorch training backend: the recipe (stratified split, class-weighted loss, AdamW,
 * warm-up then plateau or cosine schedule, clipping, augmentation, early stopping), run folders with
 * atomic checkpoints and exact resume, and the loader that turns a run's checkpoint back into a model.
 * Cross-cutting concerns (progress, metrics files, checkpoints, early stopping) are
 * {@link org.scanline.backend.TrainingListener}s.
 */
package org.scanline.backend;
