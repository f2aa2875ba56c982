/**
 * Dataset measurements that need real-sized data (load time and peak heap of a full dataset);
 * their numbers go to {@code docs/benchmarks.md}. Per-call hot paths are measured with JMH instead.
 */
package org.scanline.bench.dataset;
