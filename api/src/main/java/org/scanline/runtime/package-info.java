/**
 * The ONNX Runtime implementation behind {@link org.scanline.ScanLineClassifier#open}: reading and
 * checking a model file's metadata, full-scan classification, and line streams (a key/value cache
 * for {@code causal}, prefix recomputation for {@code vit} and {@code lrcn}). Only
 * {@link org.scanline.runtime.OnnxRuntimeProvider} is public, for {@link java.util.ServiceLoader};
 * nothing else in scanline-api refers to this package.
 */
package org.scanline.runtime;
