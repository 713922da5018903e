package io.distillery.runtime.bench;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import io.distillery.core.JobFailedException;
import io.distillery.export.graph.Benchmarks;
import io.distillery.runtime.session.ModelSession;
import io.distillery.runtime.session.SessionConfig;
import io.distillery.runtime.session.SessionFactory;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.FloatBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * The machine's practical fp32 ceiling, one method for every bench that prints a share of it:
 * GFLOP/s of an {@code [n, n] x [n, n]} MatMul (2·n³ FLOPs per run) run through the same ONNX
 * Runtime Java API and thread count as the models, best and median of several timed runs (on a
 * shared machine the best is the hardware, the median what a run of the same length gets).
 */
public final class MatMulCeiling {
  /** Matrix size every bench uses. */
  public static final int N = 1024;
  /** The fewest timed runs (after one warm-up). */
  public static final int MIN_REPS = 10;

  /** One measurement: best and median GFLOP/s over {@code reps} timed runs. */
  public record Ceiling(int n, int reps, double bestGflops, double medianGflops) {
    /** "best 140.2, median 131.9 GFLOP/s (1024^3 MatMul, 10 runs)". */
    public String describe() {
      return String.format(java.util.Locale.ROOT,
          "best %.1f, median %.1f GFLOP/s (%d^3 MatMul, %d runs)", bestGflops, medianGflops, n, reps);
    }
  }

  private MatMulCeiling() {}

  /** {@link #N}-sized ceiling on a session like the models' (same factory and config). */
  public static Ceiling measure(SessionFactory factory, SessionConfig session, int reps) {
    int runs = Math.max(MIN_REPS, reps);
    try {
      Path tmp = Files.createTempFile("distillery-matmul", ".onnx");
      try {
        Benchmarks.writeMatMulModel(N, tmp);
        try (ModelSession s = factory.open(tmp, session)) {
          return measure(s, N, runs);
        }
      } finally {
        Files.deleteIfExists(tmp);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * Best and median GFLOP/s over {@code reps} timed runs after one warm-up.
   *
   * @param session a session over a model with float inputs {@code A, B [n, n]}
   */
  public static Ceiling measure(ModelSession session, int n, int reps) {
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
      return new Ceiling(n, reps, Arrays.stream(gflops).max().orElseThrow(), Stats.median(gflops));
    } catch (OrtException e) {
      throw new JobFailedException("matmul ceiling run failed: " + e.getMessage(), e);
    }
  }
}
