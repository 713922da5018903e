package io.distillery.runtime.bench;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import io.distillery.core.JobFailedException;
import io.distillery.runtime.session.ModelSession;
import java.nio.FloatBuffer;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * The machine's practical fp32 ceiling: GFLOP/s of an {@code [n, n] x [n, n]} MatMul run through
 * the same ONNX Runtime Java API and thread count as the models (2·n³ FLOPs per run).
 */
public final class MatMulCeiling {
  private MatMulCeiling() {}

  /**
   * Median GFLOP/s over {@code reps} timed runs after one warm-up.
   *
   * @param session a session over a model with float inputs {@code A, B [n, n]}
   */
  public static double measure(ModelSession session, int n, int reps) {
    float[] data = new float[n * n];
    SplittableRandom rng = new SplittableRandom(7);
    for (int i = 0; i < data.length; i++) {
      data[i] = (float) rng.nextDouble(-1, 1);
    }
    long[] shape = {n, n};
    var env = session.environment();
    try (OnnxTensor a = OnnxTensor.createTensor(env, FloatBuffer.wrap(data), shape);
        OnnxTensor b = OnnxTensor.createTensor(env, FloatBuffer.wrap(data), shape)) {
      Map<String, OnnxTensor> inputs = Map.of("A", a, "B", b);
      double[] gflops = new double[reps];
      for (int r = -1; r < reps; r++) {
        long t0 = System.nanoTime();
        try (OrtSession.Result ignored = session.session().run(inputs)) {
          long dt = System.nanoTime() - t0;
          if (r >= 0) {
            gflops[r] = 2.0 * n * n * n / dt;
          }
        }
      }
      return Stats.median(gflops);
    } catch (OrtException e) {
      throw new JobFailedException("matmul ceiling run failed: " + e.getMessage(), e);
    }
  }
}
