package io.distillery.runtime.testing;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Random;

/**
 * Turns a text encoder ONNX (output {@code last_hidden_state [B, T, H]}) into a real text
 * classifier ONNX: masked mean pooling plus a linear head appended to the encoder graph, and the
 * graph's only output replaced by {@code logits [batch_size, L]}. Opset 11 ops only (Cast,
 * Unsqueeze, Mul, ReduceSum with attribute axes, Div, MatMul, Add), so it runs wherever the encoder
 * runs. The pooling matches {@code Encoder.meanPooled}, so {@code logits == pooled . W + b}.
 */
public final class ClassifierFixture {
  // ONNX field numbers (onnx.proto).
  private static final int MODEL_GRAPH = 7;
  private static final int GRAPH_NODE = 1;
  private static final int GRAPH_INITIALIZER = 5;
  private static final int GRAPH_OUTPUT = 12;
  private static final int FLOAT = 1;

  private ClassifierFixture() {}

  /** Seeded head weights {@code W [H, L]}, roughly unit-scale logits for MiniLM features. */
  public static float[][] weights(int hidden, int labels, long seed) {
    Random random = new Random(seed);
    float[][] w = new float[hidden][labels];
    for (float[] row : w) {
      for (int l = 0; l < labels; l++) {
        row[l] = (float) (random.nextGaussian() * 2.0);
      }
    }
    return w;
  }

  /**
   * @param encoder the encoder ModelProto bytes
   * @param w head weights {@code [H, L]}
   * @param b head bias {@code [L]}
   * @return the classifier ModelProto bytes
   */
  public static byte[] compose(byte[] encoder, float[][] w, float[] b) {
    int hidden = w.length;
    int labels = b.length;
    Protobuf.Writer model = new Protobuf.Writer();
    for (Protobuf.Field field : Protobuf.fields(encoder)) {
      if (field.number() == MODEL_GRAPH) {
        model.message(MODEL_GRAPH, head(field.payload(), w, b, hidden, labels));
      } else {
        model.raw(field.raw());
      }
    }
    return model.toBytes();
  }

  private static Protobuf.Writer head(byte[] graph, float[][] w, float[] b, int hidden, int labels) {
    Protobuf.Writer out = new Protobuf.Writer();
    for (Protobuf.Field field : Protobuf.fields(graph)) {
      if (field.number() != GRAPH_OUTPUT) {
        out.raw(field.raw());
      }
    }
    out.message(GRAPH_NODE, node("Cast", "head_cast", new String[] {"attention_mask"}, "head_mask",
        intAttr("to", FLOAT)));
    out.message(GRAPH_NODE, node("Unsqueeze", "head_unsqueeze", new String[] {"head_mask"}, "head_mask3",
        intsAttr("axes", 2)));
    out.message(GRAPH_NODE, node("Mul", "head_mul", new String[] {"last_hidden_state", "head_mask3"},
        "head_masked"));
    out.message(GRAPH_NODE, node("ReduceSum", "head_sum", new String[] {"head_masked"}, "head_sum",
        intsAttr("axes", 1), intAttr("keepdims", 0)));
    out.message(GRAPH_NODE, node("ReduceSum", "head_count", new String[] {"head_mask3"}, "head_count",
        intsAttr("axes", 1), intAttr("keepdims", 0)));
    out.message(GRAPH_NODE, node("Div", "head_div", new String[] {"head_sum", "head_count"}, "head_pooled"));
    out.message(GRAPH_NODE, node("MatMul", "head_matmul", new String[] {"head_pooled", "head_W"}, "head_proj"));
    out.message(GRAPH_NODE, node("Add", "head_add", new String[] {"head_proj", "head_b"}, "logits"));
    float[] flat = new float[hidden * labels];
    for (int i = 0; i < hidden; i++) {
      System.arraycopy(w[i], 0, flat, i * labels, labels);
    }
    out.message(GRAPH_INITIALIZER, tensor("head_W", new long[] {hidden, labels}, flat));
    out.message(GRAPH_INITIALIZER, tensor("head_b", new long[] {labels}, b));
    Protobuf.Writer dims = new Protobuf.Writer()
        .message(1, new Protobuf.Writer().string(2, "batch_size"))
        .message(1, new Protobuf.Writer().varint(1, labels));
    Protobuf.Writer tensorType = new Protobuf.Writer().varint(1, FLOAT).message(2, dims);
    out.message(GRAPH_OUTPUT, new Protobuf.Writer()
        .string(1, "logits")
        .message(2, new Protobuf.Writer().message(1, tensorType)));
    return out;
  }

  private static Protobuf.Writer node(
      String op, String name, String[] inputs, String output, Protobuf.Writer... attributes) {
    Protobuf.Writer node = new Protobuf.Writer();
    for (String input : inputs) {
      node.string(1, input);
    }
    node.string(2, output).string(3, name).string(4, op);
    for (Protobuf.Writer attribute : attributes) {
      node.message(5, attribute);
    }
    return node;
  }

  private static Protobuf.Writer intAttr(String name, long value) {
    return new Protobuf.Writer().string(1, name).varint(3, value).varint(20, 2); // type INT
  }

  private static Protobuf.Writer intsAttr(String name, long value) {
    return new Protobuf.Writer().string(1, name).varint(8, value).varint(20, 7); // type INTS
  }

  private static Protobuf.Writer tensor(String name, long[] dims, float[] values) {
    Protobuf.Writer tensor = new Protobuf.Writer();
    for (long dim : dims) {
      tensor.varint(1, dim);
    }
    ByteBuffer raw = ByteBuffer.allocate(values.length * 4).order(ByteOrder.LITTLE_ENDIAN);
    for (float v : values) {
      raw.putFloat(v);
    }
    return tensor.varint(2, FLOAT).string(8, name).bytes(9, raw.array());
  }
}
