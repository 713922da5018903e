package io.distillery.export.graph;

import io.distillery.export.onnx.OnnxProto.ModelProto;
import java.nio.file.Path;

/** Small models for measuring the machine itself, e.g. its matrix-multiply GFLOP/s ceiling. */
public final class Benchmarks {
  private Benchmarks() {}

  /**
   * {@code Y = A · B} for float inputs {@code A}, {@code B} and output {@code Y}, all {@code [n,
   * n]}: 2n³ floating-point operations per run.
   */
  public static ModelProto matMulModel(int n) {
    if (n < 1) {
      throw new IllegalArgumentException("matrix size must be >= 1, got " + n);
    }
    OnnxGraph g = new OnnxGraph("matmul_" + n);
    Ref a = g.input("A", ElemType.FLOAT, Dim.of(n), Dim.of(n));
    Ref b = g.input("B", ElemType.FLOAT, Dim.of(n), Dim.of(n));
    g.output(a.apply(Op.MATMUL, b), "Y", ElemType.FLOAT, Dim.of(n), Dim.of(n));
    g.metadata("distillery.benchmark", "matmul n=" + n);
    return g.toModel();
  }

  /** Writes {@link #matMulModel(int)} to {@code file} and returns the file. */
  public static Path writeMatMulModel(int n, Path file) {
    OnnxModels.write(matMulModel(n), file);
    return file;
  }
}
