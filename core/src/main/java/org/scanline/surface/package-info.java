/**
 * The "not a surface I know" check: fitting {@link org.scanline.runtime.SurfaceCheck} on simulated
 * H:Si(100) scans of every tip state across the sampling range, and measuring how often it flags
 * scans of the training surface and of other surfaces.
 */
package org.scanline.surface;
