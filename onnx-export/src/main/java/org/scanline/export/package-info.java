/**
 * Trained DJL model to one {@code .onnx} file with metadata, and temperature calibration.
 */
package org.scanline.export;
