/**
 * Classification metrics with scikit-learn's exact definitions: accuracy, balanced accuracy,
 * macro one-vs-rest AUROC (ties counted as half), confusion matrix and per-class
 * precision/recall/F1. Pure Java over primitive arrays, shared by training, evaluation and export.
 */
package org.scanline.metrics;
