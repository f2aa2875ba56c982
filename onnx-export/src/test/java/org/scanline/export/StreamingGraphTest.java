package org.scanline.export;

import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.onnx.proto.OnnxMl;
import com.google.protobuf.InvalidProtocolBufferException;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.scanline.Architecture;
import org.scanline.model.DjlManager;
import org.scanline.model.ModelSpec;
import org.scanline.model.ScanModel;

/**
 * A streamed line pays ONNX Runtime's per-node overhead for every node of the format-3 graph, so
 * its layers keep the fused form: no reshapes around the attention, and every residual add inside
 * a SkipLayerNormalization with the norm after it. {@link OnnxEquivalenceTest} checks the numbers.
 */
class StreamingGraphTest {
    @RegisterExtension
    static final DjlManager MANAGER = new DjlManager();

    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void eachLayerIsOneNormOneAttentionAndTheProductsWithoutReshapes(boolean int8) throws InvalidProtocolBufferException {
        ScanModel model = TinyModels.model(MANAGER.get(), Architecture.CAUSAL, 3);
        ModelSpec spec = TinyModels.spec(Architecture.CAUSAL);
        OnnxMl.ModelProto proto = OnnxMl.ModelProto.parseFrom(
                OnnxExporter.toBytes(spec, model.namedWeights(), TinyModels.metadata(Architecture.CAUSAL, 1), int8));
        Map<String, Integer> ops = new TreeMap<>();
        for (OnnxMl.NodeProto n : proto.getGraph().getNodeList()) {
            ops.merge(n.getOpType(), 1, Integer::sum);
        }
        int layers = spec.numLayers();
        assertEquals(layers, ops.get("GroupQueryAttention"), ops.toString());
        assertEquals(2 * layers, ops.get("SkipLayerNormalization"), ops.toString());
        assertEquals(1, ops.get("LayerNormalization"), "only the first layer's ln1 stands alone: " + ops);
        // The tokenizer's two reshapes (line signals, tokens) and none in the layers or the heads.
        assertEquals(2, ops.get("Reshape"), ops.toString());
        // The tokenizer's convolutions are 2-D (weights [out, in, 1, k]), which ONNX Runtime runs in its
        // blocked NCHWc kernels over all lines at once; 1-D ones it runs line by line.
        Map<String, Integer> ranks = new TreeMap<>();
        for (OnnxMl.TensorProto t : proto.getGraph().getInitializerList()) {
            ranks.put(t.getName(), t.getDimsCount());
        }
        int convs = 0;
        for (OnnxMl.NodeProto n : proto.getGraph().getNodeList()) {
            if (n.getOpType().equals("Conv")) {
                convs++;
                assertEquals(4, ranks.get(n.getInput(1)), n.getName() + "'s weight");
            }
        }
        assertEquals(spec.convChannels().size(), convs, ops.toString());
    }
}
