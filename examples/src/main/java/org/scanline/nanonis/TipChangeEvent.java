package org.scanline.nanonis;

/**
 * A model's report that the tip changed during the scan.
 *
 * @param line line index (from 0, in acquisition order) of the first line with the new tip
 * @param from tip state before the change (index into the model's tip states)
 * @param to tip state after it
 * @param confidence the model's probability for the event, 0 to 1
 */
public record TipChangeEvent(int line, int from, int to, double confidence) {
}
