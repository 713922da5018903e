package io.distillery.export.graph;

import static io.distillery.export.OnnxTestSupport.assertClose;
import static io.distillery.export.OnnxTestSupport.run;
import static io.distillery.export.OnnxTestSupport.writeChecked;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.distillery.export.ExportException;
import io.distillery.export.OnnxTestSupport.Tensor;
import io.distillery.export.onnx.OnnxProto.ModelProto;
import io.distillery.export.onnx.OnnxProto.NodeProto;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class OnnxGraphTest {
  @TempDir Path dir;

  /** x [batch, 3] -> Gemm -> Tanh -> MatMul -> Add -> Softmax: [batch, 2]. */
  @ParameterizedTest
  @ValueSource(ints = {11, 13, 17})
  void twoLayerMlpMatchesJava(int opset) throws Exception {
    Random rng = new Random(7);
    float[][] w1 = random(rng, 3, 4);
    float[] b1 = random(rng, 1, 4)[0];
    float[][] w2 = random(rng, 4, 2);
    float[] b2 = random(rng, 1, 2)[0];
    OnnxGraph g = new OnnxGraph("mlp", opset);
    Ref x = g.input("x", ElemType.FLOAT, Dim.of("batch"), Dim.of(3));
    Ref h = x.apply(Op.GEMM, g.initializer("w1", w1), g.initializer("b1", b1, 4))
        .apply(Op.TANH);
    Ref y = h.apply(Op.MATMUL, g.initializer("w2", w2)).apply(Op.ADD, g.initializer("b2", b2, 2))
        .apply(Op.SOFTMAX);
    g.output(y, "probs", ElemType.FLOAT, Dim.of("batch"), Dim.of(2));
    ModelProto model = g.toModel();
    assertEquals(OnnxGraph.irVersionFor(opset), model.getIrVersion());
    assertEquals(opset, model.getOpsetImport(0).getVersion());

    float[][] input = random(rng, 5, 3);
    Tensor out = run(writeChecked(model, dir, "mlp.onnx"), Map.of("x", Tensor.of(flat(input), 5, 3)))
        .get("probs");
    assertArrayEquals(new long[] {5, 2}, out.shape());
    float[][] expected = softmax(add(matmul(tanh(add(matmul(input, w1), b1)), w2), b2));
    assertClose(flat(expected), out.floats(), 1e-5, "probs");
  }

  @Test
  void layerNormalizationMatchesJava() throws Exception {
    Random rng = new Random(11);
    float[] scale = random(rng, 1, 5)[0];
    float[] bias = random(rng, 1, 5)[0];
    OnnxGraph g = new OnnxGraph("ln");
    Ref x = g.input("x", ElemType.FLOAT, Dim.of("batch"), Dim.of(5));
    Ref y = x.apply(Op.LAYER_NORMALIZATION, Map.of("axis", -1, "epsilon", 1e-5f),
        g.initializer("scale", scale, 5), g.initializer("bias", bias, 5));
    g.output(y, "y", ElemType.FLOAT, Dim.of("batch"), Dim.of(5));
    float[][] input = random(rng, 3, 5);
    Tensor out = run(writeChecked(g.toModel(), dir, "ln.onnx"),
        Map.of("x", Tensor.of(flat(input), 3, 5))).get("y");
    float[][] expected = new float[3][5];
    for (int r = 0; r < 3; r++) {
      double mean = 0;
      double var = 0;
      for (float v : input[r]) {
        mean += v / 5.0;
      }
      for (float v : input[r]) {
        var += (v - mean) * (v - mean) / 5.0;
      }
      for (int c = 0; c < 5; c++) {
        expected[r][c] = (float) ((input[r][c] - mean) / Math.sqrt(var + 1e-5) * scale[c] + bias[c]);
      }
    }
    assertClose(flat(expected), out.floats(), 1e-5, "y");
  }

  @Test
  void layerNormalizationBelowOpset17IsRejected() {
    OnnxGraph g = new OnnxGraph("ln", 16);
    Ref x = g.input("x", ElemType.FLOAT, Dim.of(2), Dim.of(3));
    ExportException e = assertThrows(ExportException.class,
        () -> x.apply(Op.LAYER_NORMALIZATION, g.scalar("s", 1f)));
    assertEquals("LayerNormalization needs opset >= 17; this graph targets opset 16", e.getMessage());
  }

  /** x [2, 3] -> Unsqueeze(axes=[1]) [2, 1, 3] -> ReduceSum(axes=[2]) [2, 1] -> Squeeze [2]. */
  @ParameterizedTest
  @ValueSource(ints = {11, 13})
  void axesFollowTheOpset(int opset) throws Exception {
    OnnxGraph g = new OnnxGraph("axes", opset);
    Ref x = g.input("x", ElemType.FLOAT, Dim.of(2), Dim.of(3));
    Ref y = x.apply(Op.UNSQUEEZE, Map.of("axes", new long[] {1}))
        .apply(Op.REDUCE_SUM, Map.of("axes", new long[] {2}, "keepdims", 0))
        .apply(Op.SQUEEZE, Map.of("axes", new int[] {1}));
    g.output(y, "y", ElemType.FLOAT, Dim.of(2));
    ModelProto model = g.toModel();
    for (NodeProto node : model.getGraph().getNodeList()) {
      if (node.getOpType().equals("Identity")) {
        continue;
      }
      boolean hasAxesAttr = node.getAttributeList().stream().anyMatch(a -> a.getName().equals("axes"));
      assertEquals(opset < 13, hasAxesAttr, node.getOpType() + " axes attribute at opset " + opset);
      assertEquals(opset < 13 ? 1 : 2, node.getInputCount(), node.getOpType() + " inputs");
    }
    Tensor out = run(writeChecked(model, dir, "axes" + opset + ".onnx"),
        Map.of("x", Tensor.of(new float[] {1, 2, 3, 4, 5, 6}, 2, 3))).get("y");
    assertArrayEquals(new long[] {2}, out.shape());
    assertClose(new float[] {6, 15}, out.floats(), 1e-6, "y");
  }

  @Test
  void axesAsInputBelowOpset13IsRejected() {
    OnnxGraph g = new OnnxGraph("axes", 11);
    Ref x = g.input("x", ElemType.FLOAT, Dim.of(2));
    ExportException e = assertThrows(ExportException.class,
        () -> x.apply(Op.UNSQUEEZE, g.vector("axes", 0)));
    assertTrue(e.getMessage().contains("Unsqueeze at opset 11 takes axes as an attribute"),
        e.getMessage());
  }

  @Test
  void softmaxBelowOpset13NeedsTheLastAxis() {
    OnnxGraph g = new OnnxGraph("sm", 12);
    Ref x = g.input("x", ElemType.FLOAT, Dim.of(2), Dim.of(3), Dim.of(4));
    ExportException e = assertThrows(ExportException.class,
        () -> x.apply(Op.SOFTMAX, Map.of("axis", 1)));
    assertTrue(e.getMessage().startsWith("Softmax at opset 12 flattens"), e.getMessage());
    x.apply(Op.SOFTMAX); // the default becomes an explicit axis=-1
    NodeProto node = g.toModel().getGraph().getNode(0);
    assertEquals(-1, node.getAttribute(0).getI());
  }

  @Test
  void misuseIsRejectedWithClearMessages() {
    OnnxGraph g = new OnnxGraph("g", 13);
    Ref x = g.input("x", ElemType.FLOAT, Dim.of(2));
    Ref foreign = new OnnxGraph("other").input("y", ElemType.FLOAT, Dim.of(2));
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> x.apply(Op.ADD, foreign));
    assertEquals("Add: input 'y' belongs to another graph", e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> x.apply(Op.GEMM, Map.of("alfa", 1f), x));
    assertEquals("Gemm has no attribute 'alfa' (has [alpha, beta, transA, transB])", e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> x.apply(Op.ADD));
    assertEquals("Add takes 2 to 2 inputs, got 1", e.getMessage());
    ExportException ex = assertThrows(ExportException.class,
        () -> x.apply(Op.SHAPE, Map.of("start", 0)));
    assertEquals("Shape attribute 'start' needs opset >= 15; this graph targets opset 13",
        ex.getMessage());
    assertThrows(ExportException.class, () -> x.apply(Op.TRILU, Map.of()));
    e = assertThrows(IllegalArgumentException.class, () -> g.input("x", ElemType.FLOAT));
    assertEquals("graph already has a value named 'x'", e.getMessage());
    assertThrows(ExportException.class, () -> new OnnxGraph("g", 18));
    assertThrows(ExportException.class, () -> new OnnxGraph("g", 10));
  }

  @Test
  void contribNodesSkipUnaskedOutputSlotsAndImportTheirDomain() {
    OnnxGraph g = new OnnxGraph("g");
    Ref x = g.input("x", ElemType.FLOAT, Dim.of(1), Dim.of(2), Dim.of(4));
    Ref gamma = g.initializer("gamma", new float[] {1, 1, 1, 1}, 4);
    List<Ref> out = g.apply(ContribOp.SKIP_LAYER_NORMALIZATION, java.util.Arrays.asList(x, x,
        gamma, null), Map.of("epsilon", 1e-5f), 0, 3);
    assertEquals(2, out.size());
    ModelProto m = g.toModel();
    var node = m.getGraph().getNode(0);
    assertEquals(ContribOp.DOMAIN, node.getDomain());
    assertEquals(List.of("x", "x", "gamma", ""), node.getInputList());
    assertEquals(List.of(out.get(0).name(), "", "", out.get(1).name()), node.getOutputList());
    assertTrue(m.getOpsetImportList().stream().anyMatch(id -> id.getDomain().equals(
        ContribOp.DOMAIN) && id.getVersion() == ContribOp.VERSION));
    assertEquals(1, new OnnxGraph("plain").toModel().getOpsetImportCount(), "no contrib, no import");
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> g.apply(ContribOp.BIAS_GELU, List.of(x, x), Map.of(), 1));
    assertEquals("BiasGelu has output slots 0 to 0, asked for [1]", e.getMessage());
    e = assertThrows(IllegalArgumentException.class,
        () -> g.apply(ContribOp.SKIP_LAYER_NORMALIZATION, List.of(x, x, gamma), Map.of(), 3, 0));
    assertTrue(e.getMessage().contains("must ascend"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class,
        () -> g.apply(ContribOp.ATTENTION, List.of(x, x), Map.of("heads", 2L), 0));
    assertEquals("Attention has no attribute 'heads'", e.getMessage());
  }

  @Test
  void namesAreUniqueAndIrMatchesOpset() {
    OnnxGraph g = new OnnxGraph("g");
    Ref a = g.scalar("c", 1f);
    Ref b = g.scalar("c", 2f);
    assertEquals("c", a.name());
    assertEquals("c_1", b.name());
    assertEquals(List.of(6L, 7L, 7L, 7L, 8L, 8L, 8L),
        List.of(11, 12, 13, 14, 15, 16, 17).stream().map(OnnxGraph::irVersionFor).toList());
    g.metadata("k", "v");
    ModelProto m = g.toModel();
    assertEquals("k", m.getMetadataProps(0).getKey());
    assertEquals(OnnxGraph.PRODUCER, m.getProducerName());
  }

  @Test
  void initializersAreLittleEndianRawData() {
    byte[] raw = Tensors.floats("one", new float[] {1f}).getRawData().toByteArray();
    assertArrayEquals(new byte[] {0, 0, (byte) 0x80, 0x3f}, raw);
    byte[] longRaw = Tensors.longs("n", new long[] {258}, 1).getRawData().toByteArray();
    assertArrayEquals(new byte[] {2, 1, 0, 0, 0, 0, 0, 0}, longRaw);
    assertThrows(IllegalArgumentException.class, () -> Tensors.floats("bad", new float[3], 2, 2));
  }

  static float[][] random(Random rng, int rows, int cols) {
    float[][] m = new float[rows][cols];
    for (float[] row : m) {
      for (int c = 0; c < cols; c++) {
        row[c] = (float) rng.nextGaussian();
      }
    }
    return m;
  }

  static float[] flat(float[][] m) {
    float[] out = new float[m.length * m[0].length];
    for (int r = 0; r < m.length; r++) {
      System.arraycopy(m[r], 0, out, r * m[0].length, m[0].length);
    }
    return out;
  }

  static float[][] matmul(float[][] a, float[][] b) {
    float[][] c = new float[a.length][b[0].length];
    for (int i = 0; i < a.length; i++) {
      for (int j = 0; j < b[0].length; j++) {
        double s = 0;
        for (int k = 0; k < b.length; k++) {
          s += (double) a[i][k] * b[k][j];
        }
        c[i][j] = (float) s;
      }
    }
    return c;
  }

  private static float[][] add(float[][] a, float[] bias) {
    float[][] c = new float[a.length][];
    for (int i = 0; i < a.length; i++) {
      c[i] = a[i].clone();
      for (int j = 0; j < bias.length; j++) {
        c[i][j] += bias[j];
      }
    }
    return c;
  }

  private static float[][] tanh(float[][] a) {
    float[][] c = new float[a.length][a[0].length];
    for (int i = 0; i < a.length; i++) {
      for (int j = 0; j < a[0].length; j++) {
        c[i][j] = (float) Math.tanh(a[i][j]);
      }
    }
    return c;
  }

  private static float[][] softmax(float[][] a) {
    float[][] c = new float[a.length][a[0].length];
    for (int i = 0; i < a.length; i++) {
      double max = Double.NEGATIVE_INFINITY;
      for (float v : a[i]) {
        max = Math.max(max, v);
      }
      double sum = 0;
      for (float v : a[i]) {
        sum += Math.exp(v - max);
      }
      for (int j = 0; j < a[0].length; j++) {
        c[i][j] = (float) (Math.exp(a[i][j] - max) / sum);
      }
    }
    return c;
  }
}
