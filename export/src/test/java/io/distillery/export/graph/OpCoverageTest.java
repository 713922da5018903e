package io.distillery.export.graph;

import static io.distillery.export.OnnxTestSupport.assertClose;
import static io.distillery.export.OnnxTestSupport.run;
import static io.distillery.export.OnnxTestSupport.writeChecked;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import io.distillery.export.OnnxTestSupport.Tensor;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A causal self-attention step with GELU, a hand-written layer norm and position offsets: uses
 * most of {@link Op} (shapes computed in-graph, so batch and sequence stay symbolic), run in ORT
 * and compared with the same computation in plain Java.
 */
class OpCoverageTest {
  private static final int B = 2;
  private static final int T = 4;
  private static final int D = 3;

  @TempDir Path dir;

  @ParameterizedTest
  @ValueSource(ints = {14, 17})
  void causalAttentionBlockMatchesJava(int opset) throws Exception {
    OnnxGraph g = new OnnxGraph("block", opset);
    Ref x = g.input("x", ElemType.FLOAT, Dim.of("batch"), Dim.of("seq"), Dim.of(D));
    Ref shape = x.apply(Op.SHAPE); // [3]
    Ref t = shape.apply(Op.GATHER, Map.of("axis", 0), g.initializer("seq_index", new long[] {1}));
    Ref t1 = t.apply(Op.UNSQUEEZE, Map.of("axes", new long[] {0})); // [1]
    Ref tt = t1.apply(Op.CONCAT, Map.of("axis", 0), t1); // [2]
    Ref ones = tt.apply(Op.CONSTANT_OF_SHAPE,
        Map.of("value", Tensors.floats("one", new float[] {1f}, 1))); // [T, T]
    Ref future = ones.apply(Op.TRILU, Map.of("upper", 0)).apply(Op.EQUAL, g.scalar("zero", 0f));
    Ref xt = x.apply(Op.TRANSPOSE, Map.of("perm", new long[] {0, 2, 1})); // [B, D, T]
    Ref scores = x.apply(Op.MATMUL, xt) // [B, T, T]
        .apply(Op.DIV, g.scalar("d", D).apply(Op.SQRT));
    Ref attn = future.apply(Op.WHERE, g.scalar("neg_inf", -1e9f), scores)
        .apply(Op.SOFTMAX, Map.of("axis", -1));
    Ref y = attn.apply(Op.MATMUL, x); // [B, T, D]
    Ref gelu = y.apply(Op.DIV, g.scalar("sqrt2", (float) Math.sqrt(2))).apply(Op.ERF)
        .apply(Op.ADD, g.scalar("one", 1f)).apply(Op.MUL, y).apply(Op.MUL, g.scalar("half", .5f));
    Map<String, Object> lastAxis = Map.of("axes", new long[] {-1}, "keepdims", 1);
    Ref centered = gelu.apply(Op.SUB, gelu.apply(Op.REDUCE_MEAN, lastAxis));
    Ref var = centered.apply(Op.POW, g.scalar("two", 2f)).apply(Op.REDUCE_MEAN, lastAxis);
    Ref z = centered.apply(Op.DIV, var.apply(Op.ADD, g.scalar("eps", 1e-5f)).apply(Op.SQRT));
    Ref pos = g.initializer("start", new long[] {0})
        .apply(Op.RANGE, t, g.initializer("step", new long[] {1})) // [T]
        .apply(Op.CAST, Map.of("to", ElemType.FLOAT))
        .apply(Op.UNSQUEEZE, Map.of("axes", new long[] {1})) // [T, 1]
        .apply(Op.EXPAND, shape); // [B, T, D]
    Ref sliced = z.apply(Op.ADD, pos) // [B, T, 2]
        .apply(Op.SLICE, g.vector("starts", 0), g.vector("ends", 2), g.vector("axes", 2));
    Ref floor = g.apply(Op.CONSTANT, List.of(),
        Map.of("value", Tensors.floats("floor", new float[] {-0.5f})), 1).get(0);
    g.output(sliced.apply(Op.MAX, floor).apply(Op.IDENTITY), "out", ElemType.FLOAT,
        Dim.of("batch"), Dim.of("seq"), Dim.of(2));
    Ref gate = sliced.apply(Op.REDUCE_MAX, Map.of("axes", new long[] {-1}, "keepdims", 0))
        .apply(Op.NEG).apply(Op.EXP).apply(Op.SIGMOID).apply(Op.RELU); // [B, T]
    g.output(gate, "gate", ElemType.FLOAT, Dim.of("batch"), Dim.of("seq"));

    float[][][] input = new float[B][T][D];
    Random rng = new Random(3);
    float[] flat = new float[B * T * D];
    for (int i = 0; i < flat.length; i++) {
      flat[i] = (float) rng.nextGaussian();
      input[i / (T * D)][(i / D) % T][i % D] = flat[i];
    }
    Map<String, Tensor> out = run(writeChecked(g.toModel(), dir, "block" + opset + ".onnx"),
        Map.of("x", Tensor.of(flat, B, T, D)));
    assertArrayEquals(new long[] {B, T, 2}, out.get("out").shape());
    assertArrayEquals(new long[] {B, T}, out.get("gate").shape());

    float[] expectedOut = new float[B * T * 2];
    float[] expectedGate = new float[B * T];
    for (int b = 0; b < B; b++) {
      double[][] zb = javaBlock(input[b]);
      for (int i = 0; i < T; i++) {
        double s0 = zb[i][0] + i;
        double s1 = zb[i][1] + i;
        expectedOut[(b * T + i) * 2] = (float) Math.max(s0, -0.5);
        expectedOut[(b * T + i) * 2 + 1] = (float) Math.max(s1, -0.5);
        double sig = 1 / (1 + Math.exp(-Math.exp(-Math.max(s0, s1))));
        expectedGate[b * T + i] = (float) Math.max(sig, 0);
      }
    }
    assertClose(expectedOut, out.get("out").floats(), 1e-5, "out");
    assertClose(expectedGate, out.get("gate").floats(), 1e-5, "gate");
  }

  /** Causal attention, GELU and layer norm for one sequence {@code x [T, D]}. */
  private static double[][] javaBlock(float[][] x) {
    double[][] z = new double[T][D];
    for (int i = 0; i < T; i++) {
      double[] w = new double[T];
      double sum = 0;
      for (int j = 0; j <= i; j++) {
        double dot = 0;
        for (int d = 0; d < D; d++) {
          dot += x[i][d] * x[j][d];
        }
        w[j] = Math.exp(dot / Math.sqrt(D));
        sum += w[j];
      }
      double[] gelu = new double[D];
      double mean = 0;
      for (int d = 0; d < D; d++) {
        double y = 0;
        for (int j = 0; j <= i; j++) {
          y += w[j] / sum * x[j][d];
        }
        gelu[d] = 0.5 * y * (1 + erf(y / Math.sqrt(2)));
        mean += gelu[d] / D;
      }
      double var = 0;
      for (int d = 0; d < D; d++) {
        var += (gelu[d] - mean) * (gelu[d] - mean) / D;
      }
      for (int d = 0; d < D; d++) {
        z[i][d] = (gelu[d] - mean) / Math.sqrt(var + 1e-5);
      }
    }
    return z;
  }

  /** erf by its Maclaurin series (|x| here stays small, so 60 terms are exact to double). */
  private static double erf(double x) {
    double sum = 0;
    double term = x;
    for (int n = 0; n < 60; n++) {
      sum += term / (2 * n + 1);
      term *= -x * x / (n + 1);
    }
    return 2 / Math.sqrt(Math.PI) * sum;
  }
}
