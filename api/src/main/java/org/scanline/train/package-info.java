/**
 * Training entry points that stay free of any engine: {@link org.scanline.train.TrainingConfig} (immutable, JSON round trip) and {@link org.scanline.train.TrainingSession}, which binds to a backend found at run time.
 */
package org.scanline.train;
