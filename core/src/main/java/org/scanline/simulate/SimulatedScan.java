package org.scanline.simulate;

import org.apiguardian.api.API;

/**
 * One simulated scan with its truth. Arrays are owned by the record; callers must not modify them.
 *
 * @param index index of the scan in its seeded sequence
 * @param image heights in metres (or 0–255 grey levels in Gordon mode), {@code [line][pixel]} row-major
 * @param lines lines per scan
 * @param pixels pixels per line
 * @param label scan label as annotated (after label noise)
 * @param labelTrue the class the scan was generated as
 * @param lineStates tip state of every line (0–2, or 3 on unstable lines)
 * @param changeLine first line acquired with the new tip, −1 if the tip never changed
 * @param parameters every generator parameter of the scan
 *     (record equality compares the arrays by identity; compare {@code image()} with {@code Arrays.equals})
 */
@API(status = API.Status.EXPERIMENTAL)
public record SimulatedScan(long index, float[] image, int lines, int pixels, int label, int labelTrue,
        byte[] lineStates, int changeLine, ScanParameters parameters) {
}
