/**
 * The service-provider interface a training backend implements to be found by {@link org.scanline.train.TrainingSession}, the way SLF4J finds its provider.
 */
package org.scanline.spi;
