/**
 * File output that never leaves a partly written file behind: every writer in scanline goes
 * through {@link org.scanline.io.AtomicOutput}. File input that must not hang, exhaust memory or
 * hide the operating system's reason goes through {@link org.scanline.io.InputFiles}.
 */
package org.scanline.io;
