package org.scanline.export;

import ai.onnx.proto.OnnxMl;
import com.google.protobuf.ByteString;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.HashMap;
import java.util.Map;

/**
 * A small builder over the generated {@code OnnxMl} protobuf classes: nodes with unique output
 * names, float and int64 initialisers, typed graph inputs and outputs. Names are made unique by a
 * per-prefix counter so that the graph reads like the maths in {@code docs/models.md}.
 */
final class Graph {
    /** ONNX Runtime's contrib-operator domain (GroupQueryAttention and the fused operators). */
    static final String MICROSOFT_DOMAIN = "com.microsoft";

    private final OnnxMl.GraphProto.Builder graph = OnnxMl.GraphProto.newBuilder();
    private final Map<String, Integer> counters = new HashMap<>();
    private final Map<String, String> longConstants = new HashMap<>();
    private boolean usesMicrosoftDomain;
    private int format;

    Graph(String name) {
        graph.setName(name);
    }

    String fresh(String prefix) {
        int n = counters.merge(prefix, 1, Integer::sum);
        return n == 1 ? prefix : prefix + "_" + n;
    }

    /** A node with one output; returns the output's name. */
    String op(String opType, String name, String[] inputs, Attr... attrs) {
        return opMulti(opType, name, inputs, new String[] {fresh(name)}, attrs)[0];
    }

    /** A node whose single output gets exactly {@code output} as its name (graph outputs). */
    String opNamed(String opType, String output, String[] inputs, Attr... attrs) {
        return opMulti(opType, output, inputs, new String[] {output}, attrs)[0];
    }

    String[] opMulti(String opType, String name, String[] inputs, String[] outputs, Attr... attrs) {
        return addNode(OnnxMl.NodeProto.newBuilder().setOpType(opType).setName(fresh("node_" + name)), inputs, outputs,
                attrs);
    }

    private String[] addNode(OnnxMl.NodeProto.Builder node, String[] inputs, String[] outputs, Attr... attrs) {
        for (String in : inputs) {
            node.addInput(in);
        }
        for (String out : outputs) {
            node.addOutput(out);
        }
        for (Attr a : attrs) {
            node.addAttribute(a.proto);
        }
        graph.addNode(node);
        return outputs;
    }

    /** A node from ONNX Runtime's {@code com.microsoft} operator set. */
    String msOp(String opType, String name, String[] inputs, Attr... attrs) {
        return msOpMulti(opType, name, inputs, new String[] {fresh(name)}, attrs)[0];
    }

    /** A {@code com.microsoft} node with several outputs; an empty input name skips an optional input. */
    String[] msOpMulti(String opType, String name, String[] inputs, String[] outputs, Attr... attrs) {
        usesMicrosoftDomain = true;
        return addNode(OnnxMl.NodeProto.newBuilder().setOpType(opType).setDomain(MICROSOFT_DOMAIN)
                .setName(fresh("node_" + name)), inputs, outputs, attrs);
    }

    boolean usesMicrosoftDomain() {
        return usesMicrosoftDomain;
    }

    /** @param version the model format (scanline.format) this graph follows */
    void format(int version) {
        format = version;
    }

    /** @return the model format this graph follows */
    int format() {
        return format;
    }

    String floats(String name, float[] data, long... dims) {
        String n = fresh(name);
        ByteBuffer buf = ByteBuffer.allocate(data.length * Float.BYTES).order(ByteOrder.LITTLE_ENDIAN);
        buf.asFloatBuffer().put(data);
        graph.addInitializer(OnnxMl.TensorProto.newBuilder().setName(n)
                .setDataType(OnnxMl.TensorProto.DataType.FLOAT.getNumber())
                .addAllDims(boxed(dims)).setRawData(ByteString.copyFrom(buf.array())));
        return n;
    }

    String int8s(String name, byte[] data, long... dims) {
        String n = fresh(name);
        graph.addInitializer(OnnxMl.TensorProto.newBuilder().setName(n)
                .setDataType(OnnxMl.TensorProto.DataType.INT8.getNumber())
                .addAllDims(boxed(dims)).setRawData(ByteString.copyFrom(data)));
        return n;
    }

    String scalar(String name, float value) {
        return floats(name, new float[] {value});
    }

    /** An int64 initialiser, shared between uses with the same values. */
    String longs(long... values) {
        StringBuilder key = new StringBuilder();
        for (long v : values) {
            key.append(v).append(',');
        }
        return longConstants.computeIfAbsent(key.toString(), k -> {
            String n = fresh("const_i64");
            ByteBuffer buf = ByteBuffer.allocate(values.length * Long.BYTES).order(ByteOrder.LITTLE_ENDIAN);
            buf.asLongBuffer().put(values);
            graph.addInitializer(OnnxMl.TensorProto.newBuilder().setName(n)
                    .setDataType(OnnxMl.TensorProto.DataType.INT64.getNumber())
                    .addDims(values.length).setRawData(ByteString.copyFrom(buf.array())));
            return n;
        });
    }

    /** An int64 scalar (rank 0) initialiser. */
    String longScalar(long value) {
        return longConstants.computeIfAbsent("scalar" + value, k -> {
            String n = fresh("const_scalar");
            ByteBuffer buf = ByteBuffer.allocate(Long.BYTES).order(ByteOrder.LITTLE_ENDIAN).putLong(value);
            graph.addInitializer(OnnxMl.TensorProto.newBuilder().setName(n)
                    .setDataType(OnnxMl.TensorProto.DataType.INT64.getNumber())
                    .setRawData(ByteString.copyFrom(buf.array())));
            return n;
        });
    }

    /** A float32 graph input or output; a {@code String} dim is symbolic, a number is fixed. */
    void input(String name, Object... dims) {
        graph.addInput(valueInfo(name, OnnxMl.TensorProto.DataType.FLOAT, dims));
    }

    /** An int64 graph input; no dims makes it a scalar. */
    void longInput(String name, Object... dims) {
        graph.addInput(valueInfo(name, OnnxMl.TensorProto.DataType.INT64, dims));
    }

    void output(String name, Object... dims) {
        graph.addOutput(valueInfo(name, OnnxMl.TensorProto.DataType.FLOAT, dims));
    }

    private static OnnxMl.ValueInfoProto valueInfo(String name, OnnxMl.TensorProto.DataType type, Object... dims) {
        OnnxMl.TensorShapeProto.Builder shape = OnnxMl.TensorShapeProto.newBuilder();
        for (Object d : dims) {
            OnnxMl.TensorShapeProto.Dimension.Builder dim = OnnxMl.TensorShapeProto.Dimension.newBuilder();
            if (d instanceof String s) {
                dim.setDimParam(s);
            } else {
                dim.setDimValue(((Number) d).longValue());
            }
            shape.addDim(dim);
        }
        return OnnxMl.ValueInfoProto.newBuilder().setName(name)
                .setType(OnnxMl.TypeProto.newBuilder().setTensorType(OnnxMl.TypeProto.Tensor.newBuilder()
                        .setElemType(type.getNumber()).setShape(shape)))
                .build();
    }

    OnnxMl.GraphProto build() {
        return graph.build();
    }

    private static Iterable<Long> boxed(long[] dims) {
        java.util.List<Long> out = new java.util.ArrayList<>(dims.length);
        for (long d : dims) {
            out.add(d);
        }
        return out;
    }

    /** One node attribute. */
    record Attr(OnnxMl.AttributeProto proto) {
        static Attr i(String name, long v) {
            return new Attr(OnnxMl.AttributeProto.newBuilder().setName(name)
                    .setType(OnnxMl.AttributeProto.AttributeType.INT).setI(v).build());
        }

        static Attr f(String name, float v) {
            return new Attr(OnnxMl.AttributeProto.newBuilder().setName(name)
                    .setType(OnnxMl.AttributeProto.AttributeType.FLOAT).setF(v).build());
        }

        static Attr s(String name, String v) {
            return new Attr(OnnxMl.AttributeProto.newBuilder().setName(name)
                    .setType(OnnxMl.AttributeProto.AttributeType.STRING).setS(ByteString.copyFromUtf8(v)).build());
        }

        static Attr ints(String name, long... v) {
            OnnxMl.AttributeProto.Builder b = OnnxMl.AttributeProto.newBuilder().setName(name)
                    .setType(OnnxMl.AttributeProto.AttributeType.INTS);
            for (long x : v) {
                b.addInts(x);
            }
            return new Attr(b.build());
        }

        static Attr tensor(String name, OnnxMl.TensorProto t) {
            return new Attr(OnnxMl.AttributeProto.newBuilder().setName(name)
                    .setType(OnnxMl.AttributeProto.AttributeType.TENSOR).setT(t).build());
        }
    }
}
