/**
 * PNG figures of runs and evaluations drawn headless with XChart: training curves, accuracy against
 * lines seen, and the confusion matrix as an annotated heat map.
 */
package org.scanline.plot;
