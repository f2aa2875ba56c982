package org.scanline.dataset;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.jhdf.HdfFile;
import io.jhdf.api.Dataset;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Visiting in small slices or chunks sees exactly the values a whole-dataset read returns. */
class Hdf5ElementsTest {

    @ParameterizedTest
    @CsvSource({"matlab_v73.mat, 1", "matlab_v73.mat, 5", "plain_hdf5.mat, 1", "plain_hdf5.mat, 7"})
    void slicedVisitEqualsWholeRead(String fixture, int sliceElements) {
        try (HdfFile hdf = new HdfFile(TestFiles.fixture(fixture))) {
            for (String name : new String[] {"x_raw", "y"}) {
                Dataset d = (Dataset) hdf.getByPath(name);
                Object[] whole = (Object[]) d.getData();
                int[] dims = d.getDimensions();
                int[] seen = {0};
                Hdf5Elements.forEach(d, fixture, sliceElements, (r, c, v) -> {
                    assertEquals(Hdf5Elements.element(whole[r], c), v, 0.0, name + " at " + r + "," + c);
                    seen[0]++;
                });
                assertEquals(dims[0] * dims[1], seen[0]);
            }
        }
    }
}
