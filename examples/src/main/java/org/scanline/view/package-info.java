/**
 * A browser view of a scan being classified: {@link org.scanline.view.ScanView} serves a read-only page
 * on localhost and pushes every line to it with server-sent events; {@link org.scanline.view.HeightImage}
 * is the line-levelled rendering and colour scale shared by that page and the demo's PNGs.
 */
package org.scanline.view;
