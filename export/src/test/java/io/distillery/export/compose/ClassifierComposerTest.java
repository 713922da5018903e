package io.distillery.export.compose;

import static io.distillery.export.OnnxTestSupport.assertClose;
import static io.distillery.export.OnnxTestSupport.run;
import static io.distillery.export.OnnxTestSupport.writeChecked;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.distillery.core.BadInputException;
import io.distillery.core.ConfigException;
import io.distillery.core.ModelLoadException;
import io.distillery.core.ShapeMismatchException;
import io.distillery.export.OnnxTestSupport.Tensor;
import io.distillery.export.graph.Dim;
import io.distillery.export.graph.ElemType;
import io.distillery.export.graph.OnnxGraph;
import io.distillery.export.graph.Op;
import io.distillery.export.graph.Ref;
import io.distillery.export.onnx.OnnxProto.ModelProto;
import io.distillery.export.onnx.OnnxProto.NodeProto;
import io.distillery.export.onnx.OnnxProto.TensorProto;
import io.distillery.export.onnx.OnnxProto.ValueInfoProto;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Composes a tiny opset-11 "encoder" (embedding lookups and tanh) with a linear head. */
class ClassifierComposerTest {
  private static final int V = 10;
  private static final int H = 4;
  private static final int L = 3;
  private static final long[][] IDS = {{1, 2, 3, 4, 5}, {6, 7}, {8, 9, 1}, {}};
  private static final long[][] TYPES = {{0, 0, 0, 1, 1}, {0, 1}, {0, 0, 0}, {}};

  @TempDir Path dir;

  private final Random rng = new Random(42);
  private final float[][] wordEmb = matrix(V, H);
  private final float[][] typeEmb = matrix(2, H);
  private final float[] shift = matrix(1, H)[0];
  private final LinearHead head = LinearHead.of(matrix(H, L), matrix(1, L)[0]);

  @Test
  void composedLogitsMatchJavaAndIgnorePadding() throws Exception {
    ModelProto composed = ClassifierComposer.compose(
        encoder("last_hidden_state"), head, Map.of("distillery.teacher", "tiny"));
    assertEquals(6, composed.getIrVersion());
    assertEquals(11, OnnxGraph.defaultOpset(composed));
    assertEquals(List.of("logits"), names(composed.getGraph().getOutputList()));
    assertEquals(List.of("input_ids", "attention_mask", "token_type_ids"),
        names(composed.getGraph().getInputList()));
    assertEquals("tiny", metadata(composed, "distillery.teacher"));
    int encoderNodes = encoder("last_hidden_state").getGraph().getNodeCount();
    for (NodeProto node : composed.getGraph().getNodeList().subList(encoderNodes,
        composed.getGraph().getNodeCount())) {
      assertTrue(node.getName().startsWith("head/"), node.getName());
    }
    List<String> inits = composed.getGraph().getInitializerList().stream()
        .map(TensorProto::getName).toList();
    assertTrue(inits.contains("head/weight") && inits.contains("head/weight_1"), inits.toString());
    Path file = writeChecked(composed, dir, "classifier.onnx");

    float[] expected = new float[IDS.length * L];
    for (int s = 0; s < IDS.length; s++) {
      System.arraycopy(javaLogits(IDS[s], TYPES[s]), 0, expected, s * L, L);
    }
    float[] tightBatch = logits(file, IDS.length, 6, 0);
    assertClose(expected, tightBatch, 1e-5, "logits padded to 6 with id 0");
    assertClose(expected, logits(file, IDS.length, 9, 7), 1e-5, "logits padded to 9 with id 7");
    assertClose(head.bias(), java.util.Arrays.copyOfRange(tightBatch, 3 * L, 4 * L), 1e-6,
        "an all-padding row gives the bias");
  }

  @Test
  void encoderWithoutHiddenStateIsNamedWithItsOutputs() throws Exception {
    ModelProto encoder = encoder("hidden_states");
    BadInputException e = assertThrows(BadInputException.class,
        () -> ClassifierComposer.compose(encoder, head, Map.of()));
    assertEquals("encoder: no output 'last_hidden_state' (has [hidden_states, pooler_output])",
        e.getMessage());
    Path file = writeChecked(encoder, dir, "enc.onnx");
    ModelLoadException fromFile = assertThrows(ModelLoadException.class,
        () -> ClassifierComposer.compose(file, head, Map.of()));
    assertEquals(file + ": no output 'last_hidden_state' (has [hidden_states, pooler_output])",
        fromFile.getMessage());
  }

  @Test
  void otherBadEncodersAreRejected() {
    ModelProto.Builder noMask = encoder("last_hidden_state").toBuilder();
    noMask.getGraphBuilder().removeInput(1);
    BadInputException e = assertThrows(BadInputException.class,
        () -> ClassifierComposer.compose(noMask.build(), head, Map.of()));
    assertEquals("encoder: no input 'attention_mask' (has [input_ids, token_type_ids])",
        e.getMessage());

    LinearHead wide = LinearHead.of(matrix(H + 1, L), new float[L]);
    ShapeMismatchException s = assertThrows(ShapeMismatchException.class,
        () -> ClassifierComposer.compose(encoder("last_hidden_state"), wide, Map.of()));
    assertEquals("encoder: output 'last_hidden_state' has H=4, the head's weight has 5 rows",
        s.getMessage());

    ModelProto.Builder named = encoder("last_hidden_state").toBuilder();
    named.getGraphBuilder().addValueInfo(ValueInfoProto.newBuilder().setName("logits"));
    e = assertThrows(BadInputException.class,
        () -> ClassifierComposer.compose(named.build(), head, Map.of()));
    assertTrue(e.getMessage().contains("already has a value named 'logits'"), e.getMessage());

    assertThrows(ConfigException.class,
        () -> new LinearHead(matrix(H, L), new float[L], true));
    assertThrows(ConfigException.class, () -> LinearHead.of(matrix(H, L), new float[L + 1]));
  }

  /** Runs the composed model on the 4 test sequences padded to seqLen with padId. */
  private static float[] logits(Path file, int batch, int seqLen, long padId) throws Exception {
    long[] ids = new long[batch * seqLen];
    long[] types = new long[batch * seqLen];
    long[] mask = new long[batch * seqLen];
    for (int s = 0; s < batch; s++) {
      for (int t = 0; t < seqLen; t++) {
        boolean real = t < IDS[s].length;
        ids[s * seqLen + t] = real ? IDS[s][t] : padId;
        types[s * seqLen + t] = real ? TYPES[s][t] : padId % 2;
        mask[s * seqLen + t] = real ? 1 : 0;
      }
    }
    Tensor out = run(file, Map.of(
        "input_ids", Tensor.of(ids, batch, seqLen),
        "token_type_ids", Tensor.of(types, batch, seqLen),
        "attention_mask", Tensor.of(mask, batch, seqLen))).get("logits");
    assertEquals(List.of((long) batch, (long) L),
        List.of(out.shape()[0], out.shape()[1]), "logits shape");
    return out.floats();
  }

  /** Masked mean of tanh(word + type + shift) over the real tokens, then the linear head. */
  private float[] javaLogits(long[] ids, long[] types) {
    double[] pooled = new double[H];
    for (int t = 0; t < ids.length; t++) {
      for (int h = 0; h < H; h++) {
        pooled[h] += Math.tanh(wordEmb[(int) ids[t]][h] + typeEmb[(int) types[t]][h] + shift[h]);
      }
    }
    float[] logits = head.bias();
    for (int l = 0; l < L; l++) {
      for (int h = 0; h < H; h++) {
        logits[l] += (float) (pooled[h] / Math.max(ids.length, 1e-9) * head.weight()[h][l]);
      }
    }
    return logits;
  }

  /**
   * An opset-11 encoder: last_hidden_state = tanh(word[input_ids] + type[token_type_ids] +
   * shift) [B, T, H], plus a pooler_output. Its shift is named "head/weight" to collide with the
   * composer's own names.
   */
  private ModelProto encoder(String hiddenName) {
    OnnxGraph g = new OnnxGraph("tiny-encoder", 11);
    Dim batch = Dim.of("batch_size");
    Dim seq = Dim.of("sequence_length");
    Ref ids = g.input("input_ids", ElemType.INT64, batch, seq);
    g.input("attention_mask", ElemType.INT64, batch, seq);
    Ref types = g.input("token_type_ids", ElemType.INT64, batch, seq);
    Ref hidden = g.initializer("word_embeddings", wordEmb).apply(Op.GATHER, ids)
        .apply(Op.ADD, g.initializer("type_embeddings", typeEmb).apply(Op.GATHER, types))
        .apply(Op.ADD, g.initializer("head/weight", shift, H))
        .apply(Op.TANH);
    g.output(hidden, hiddenName, ElemType.FLOAT, batch, seq, Dim.of(H));
    Ref pooler = hidden.apply(Op.REDUCE_MEAN, Map.of("axes", new long[] {1}, "keepdims", 0));
    g.output(pooler, "pooler_output", ElemType.FLOAT, batch, Dim.of(H));
    return g.toModel();
  }

  private float[][] matrix(int rows, int cols) {
    float[][] m = new float[rows][cols];
    for (float[] row : m) {
      for (int c = 0; c < cols; c++) {
        row[c] = (float) rng.nextGaussian();
      }
    }
    return m;
  }

  private static List<String> names(List<ValueInfoProto> values) {
    List<String> names = new ArrayList<>();
    values.forEach(v -> names.add(v.getName()));
    return names;
  }

  private static String metadata(ModelProto model, String key) {
    return model.getMetadataPropsList().stream().filter(e -> e.getKey().equals(key))
        .map(e -> e.getValue()).findFirst().orElse(null);
  }
}
