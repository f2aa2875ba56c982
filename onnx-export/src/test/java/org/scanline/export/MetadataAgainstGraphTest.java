package org.scanline.export;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.onnx.proto.OnnxMl;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.scanline.Architecture;
import org.scanline.BadModelException;
import org.scanline.Normalizer;
import org.scanline.ScanLineClassifier;
import org.scanline.model.DjlManager;
import org.scanline.model.ModelFixtures;
import org.scanline.model.ModelSpec;
import org.scanline.model.Weight;

/**
 * {@link ScanLineClassifier#open} checks every metadata value against the graph it describes: a
 * 4-logit graph whose {@code scanline.classes} lists 3 or 5 names used to classify with the wrong
 * names and probabilities and exit 0. Files are real exports with their metadata or graph
 * rewritten through the {@code OnnxMl} classes.
 */
class MetadataAgainstGraphTest {
    static final int P = TinyModels.P;
    static final List<String> FOUR = List.of("good", "blunt", "double", "unstable");
    static final Map<Architecture, Map<String, Weight>> WEIGHTS = new java.util.EnumMap<>(Architecture.class);
    @RegisterExtension
    static final DjlManager MANAGER = new DjlManager();
    @TempDir
    Path dir;

    /** A tiny 4-class model of architecture {@code a}, with its metadata edited and its graph adjusted. */
    Path file(Architecture a, Consumer<Map<String, String>> editMetadata, Consumer<OnnxMl.GraphProto.Builder> editGraph)
            throws Exception {
        Map<String, Weight> weights = WEIGHTS.computeIfAbsent(a,
                x -> ModelFixtures.seeded(MANAGER.get(), TinyModels.config(x), P, FOUR.size(), 5).namedWeights());
        ExportMetadata meta = new ExportMetadata(FOUR, Normalizer.NONE, 1, TinyModels.config(a).toJson(), "r", "{}", null);
        OnnxMl.ModelProto model = OnnxExporter.model(ModelSpec.of(TinyModels.config(a), P, FOUR.size()), weights, meta,
                false);
        Map<String, String> props = new LinkedHashMap<>();
        model.getMetadataPropsList().forEach(e -> props.put(e.getKey(), e.getValue()));
        editMetadata.accept(props);
        OnnxMl.ModelProto.Builder b = model.toBuilder().clearMetadataProps();
        props.forEach((k, v) -> b.addMetadataProps(OnnxMl.StringStringEntryProto.newBuilder().setKey(k).setValue(v)));
        editGraph.accept(b.getGraphBuilder());
        Path out = dir.resolve(a.id() + "-" + System.nanoTime() + ".onnx");
        Files.write(out, b.build().toByteArray());
        return out;
    }

    Path withMetadata(Architecture a, String key, String value) throws Exception {
        return file(a, p -> p.put(key, value), g -> { });
    }

    static BadModelException refused(Path f) {
        return assertThrows(BadModelException.class, () -> ScanLineClassifier.open(f).close());
    }

    static void assertNames(BadModelException e, Path f, String... parts) {
        String m = e.getMessage();
        assertTrue(m.contains(f.toString()), m);
        for (String part : parts) {
            assertTrue(m.contains(part), "'" + part + "' missing from: " + m);
        }
    }

    @ParameterizedTest
    @EnumSource(Architecture.class)
    void theUntouchedFourClassFileOpens(Architecture a) throws Exception {
        try (ScanLineClassifier c = ScanLineClassifier.open(file(a, p -> { }, g -> { }))) {
            assertEquals(FOUR, c.classNames());
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {3, 5})
    void aClassListThatDisagreesWithTheLogitsIsRefused(int names) throws Exception {
        for (Architecture a : Architecture.values()) {
            List<String> list = List.of("good", "blunt", "double", "unstable", "crashed").subList(0, names);
            Path f = withMetadata(a, "scanline.classes", new com.fasterxml.jackson.databind.ObjectMapper()
                    .writeValueAsString(list));
            assertNames(refused(f), f, "'scanline.classes'", names + " names", "4 classes");
        }
    }

    /** A graph that leaves the class axis symbolic is caught when open runs it. */
    @Test
    void aSymbolicLogitsWidthIsCheckedByRunningTheGraph() throws Exception {
        Path f = file(Architecture.CAUSAL, p -> p.put("scanline.classes", "[\"a\",\"b\",\"c\",\"d\",\"e\"]"), g -> {
            for (OnnxMl.ValueInfoProto.Builder out : g.getOutputBuilderList()) {
                if (out.getName().equals("logits")) {
                    out.getTypeBuilder().getTensorTypeBuilder().getShapeBuilder().getDimBuilder(2).clearDimValue()
                            .setDimParam("classes");
                }
            }
        });
        assertNames(refused(f), f, "'scanline.classes'", "5 names", "4 classes");
    }

    @ParameterizedTest
    @EnumSource(Architecture.class)
    void aPixelCountThatDisagreesWithTheInputIsRefused(Architecture a) throws Exception {
        Path f = withMetadata(a, "scanline.pixels", "99");
        assertNames(refused(f), f, "'scanline.pixels'", "99", Integer.toString(P));
    }

    /** causal and vit hold a table of max_lines positions; a larger promise fails at open, not at that line. */
    @ParameterizedTest
    @EnumSource(value = Architecture.class, names = {"CAUSAL", "VIT"})
    void moreLinesThanThePositionsHoldAreRefused(Architecture a) throws Exception {
        Path f = withMetadata(a, "scanline.max_lines", Integer.toString(TinyModels.MAX + 5));
        assertNames(refused(f), f, "'scanline.max_lines'", Integer.toString(TinyModels.MAX + 5));
        try (ScanLineClassifier fewer = ScanLineClassifier.open(withMetadata(a, "scanline.max_lines", "4"))) {
            assertEquals(4, fewer.info().maxLines());
        }
    }

    /** A huge promise is refused from the numbers, before the check run allocates for it. */
    @ParameterizedTest
    @EnumSource(Architecture.class)
    void anAbsurdMaxLinesIsRefusedBeforeAnythingIsAllocated(Architecture a) throws Exception {
        Path f = withMetadata(a, "scanline.max_lines", "100000000");
        assertNames(refused(f), f, "'scanline.max_lines'", "100000000", "larger than this runtime handles");
    }

    /** lrcn has no positions: its graph sets no maximum, so a larger one is no lie. */
    @Test
    void lrcnHasNoPositionsToCheck() throws Exception {
        try (ScanLineClassifier c = ScanLineClassifier.open(withMetadata(Architecture.LRCN, "scanline.max_lines",
                Integer.toString(TinyModels.MAX + 5)))) {
            assertEquals(TinyModels.MAX + 5, c.info().maxLines());
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"{\"architecture\": \"causal\"", "not json", "[1, 2]", "{\"a\": 1} trailing",
        "{\"a\": 1, \"a\": 2}"})
    void aConfigThatIsNotAJsonObjectIsABadModel(String config) throws Exception {
        Path f = withMetadata(Architecture.CAUSAL, "scanline.config", config);
        assertNames(refused(f), f, "'scanline.config'", "JSON object");
        Path g = withMetadata(Architecture.CAUSAL, "scanline.metrics", config);
        assertNames(refused(g), g, "'scanline.metrics'", "JSON object");
    }

    @Test
    void repeatedOrBlankClassNamesAreRefused() throws Exception {
        Path twice = withMetadata(Architecture.VIT, "scanline.classes", "[\"good\",\"blunt\",\"good\",\"x\"]");
        assertNames(refused(twice), twice, "'scanline.classes'", "'good' twice");
        Path blank = withMetadata(Architecture.VIT, "scanline.classes", "[\"good\",\" \",\"double\",\"x\"]");
        assertNames(refused(blank), blank, "'scanline.classes'", "blank name at index 1");
    }

    @Test
    void aFixedLineAxisIsRefused() throws Exception {
        Path f = file(Architecture.LRCN, p -> { }, g -> g.getInputBuilder(0).getTypeBuilder().getTensorTypeBuilder()
                .getShapeBuilder().getDimBuilder(1).clearDimParam().setDimValue(TinyModels.MAX));
        assertNames(refused(f), f, "'lines'", "'scanline.max_lines'", "fixes it at " + TinyModels.MAX);
    }
}
