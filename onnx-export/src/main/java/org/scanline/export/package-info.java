/**
 * Trained DJL model to one {@code .onnx} file: {@link org.scanline.export.OnnxExporter} rebuilds each
 * architecture's opset-17 graph from its named weights with the {@code OnnxMl} protobuf classes and
 * writes the {@code scanline.*} metadata; {@link org.scanline.export.ModelExport} checks ONNX Runtime
 * against DJL and fits the calibration temperature ({@link org.scanline.export.Calibration}) on the
 * run's validation split.
 */
package org.scanline.export;
