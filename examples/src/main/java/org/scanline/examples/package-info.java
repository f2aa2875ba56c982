/**
 * Example programs for embedding scanline in acquisition software. {@link org.scanline.examples.MicroscopeExample}
 * streams lines into a model using nothing but {@code scanline-api}.
 */
package org.scanline.examples;
