/**
 * The service-provider interfaces found at run time through {@link java.util.ServiceLoader}, the way
 * SLF4J finds its provider: a training backend for {@link org.scanline.train.TrainingSession}
 * ({@link org.scanline.spi.TrainingBackend}) and the inference runtime behind
 * {@link org.scanline.ScanLineClassifier#open} ({@link org.scanline.spi.ClassifierRuntime}).
 */
package org.scanline.spi;
