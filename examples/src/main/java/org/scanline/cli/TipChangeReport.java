package org.scanline.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Locale;
import org.scanline.ScanDataset;
import org.scanline.ScanLineClassifier;
import org.scanline.dataset.Datasets;
import org.scanline.dataset.NpzReader;
import org.scanline.evaluation.TipChangeEvaluation;
import org.scanline.io.AtomicOutput;
import org.scanline.run.Checkpoint;
import org.scanline.run.LoadedModel;
import org.scanline.run.RunFolder;

/**
 * The tip-change part of {@code evaluate}: when the model has a tip-state head and the data carry
 * the simulator's per-line truth ({@code line_states}, {@code change_line} in an {@code .npz}),
 * scores every scan of the file and writes {@code tip_changes.json} beside {@code evaluation.json}.
 */
final class TipChangeReport {
    static final String FILE = "tip_changes.json";
    private static final ObjectMapper JSON = JsonMapper.builder().enable(SerializationFeature.INDENT_OUTPUT).build();

    private TipChangeReport() {
    }

    static void write(Path run, Path outDir, Path data, String split, Checkpoint which, int batchSize,
            ScanLineClassifier.Options defaults, PrintWriter out) {
        RunFolder folder = RunFolder.open(run);
        if (folder.config().lineStateWeight() <= 0 || data == null || !data.toString().endsWith(".npz")) {
            return;
        }
        int[] changes;
        byte[] states;
        try (NpzReader npz = NpzReader.open(data)) {
            if (!npz.contains("line_states") || !npz.contains("change_line")) {
                out.println("tip changes: " + data + " has no line_states/change_line (simulated truth); not scored");
                return;
            }
            if (!"all".equals(split)) {
                out.println("tip changes: scored with --split all only");
                return;
            }
            states = npz.read("line_states").bytes();
            changes = npz.read("change_line").toIntArray();
        }
        ScanDataset scans = Datasets.read(data);
        TipChangeEvaluation e;
        try (LoadedModel model = folder.loadModel(which)) {
            e = TipChangeEvaluation.evaluate(model, scans, states, changes, defaults.tipChangeThreshold(),
                    defaults.tipChangeLines(), defaults.tipChangeClassRise(model.classNames()).orElse(null), batchSize);
        }
        out.println(e.summary());
        ObjectNode node = JSON.createObjectNode();
        node.put("data", data.toString());
        node.put("scans", e.scans());
        node.put("lines", e.lines());
        node.put("line_state_accuracy", e.lineStateAccuracy());
        node.put("threshold", e.threshold());
        node.put("persistence_lines", e.persistence());
        node.put("detector", e.detector());
        if (e.classRise() != null) {
            ObjectNode rise = node.putObject("class_rise");
            rise.put("class", defaults.tipChangeClass());
            rise.put("class_index", e.classRise().classIndex());
            rise.put("rise", e.classRise().rise());
            rise.put("calm", e.classRise().calm());
            rise.put("calm_lines", e.classRise().calmLines());
        }
        node.put("tip_changes", e.changes());
        node.put("detected_within_5_lines", e.detectedWithin(5));
        node.put("detected_within_" + TipChangeEvaluation.MATCH_WINDOW + "_lines", e.detectedWithin(TipChangeEvaluation.MATCH_WINDOW));
        node.put("median_delay_lines", e.medianDelay());
        node.put("delay_q1_lines", e.delayQuantile(0.25));
        node.put("delay_q3_lines", e.delayQuantile(0.75));
        ObjectNode within = node.putObject("detected_within_lines");
        double[] shares = e.delayShares();
        for (int i = 0; i < shares.length; i++) {
            within.put(Integer.toString(TipChangeEvaluation.DELAY_STEPS[i]), shares[i]);
        }
        node.put("false_alarms", e.falseAlarms());
        node.put("false_alarms_per_1000_lines", e.falseAlarmsPer1000Lines());
        node.putPOJO("delays", e.delays());
        Path file = outDir.resolve(FILE);
        try {
            AtomicOutput.writeString(file, JSON.writeValueAsString(node));
        } catch (com.fasterxml.jackson.core.JsonProcessingException ex) {
            throw new IllegalStateException(ex);
        }
        out.println(String.format(Locale.ROOT, "wrote %s", file));
    }
}
