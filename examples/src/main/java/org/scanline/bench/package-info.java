/**
 * JMH benchmarks of the embedded runtime on the reference-size causal model: per-line streaming
 * latency, full-scan latency, batch throughput and the prefix-recompute baseline, under the ONNX
 * Runtime settings and export options worth comparing. Run them with {@code ./scanline bench-runtime}.
 */
package org.scanline.bench;
