/**
 * File output that never leaves a partly written file behind: every writer in scanline goes
 * through {@link org.scanline.io.AtomicOutput}.
 */
package org.scanline.io;
