package io.distillery.export.graph;

import static io.distillery.export.OnnxTestSupport.assertClose;
import static io.distillery.export.OnnxTestSupport.check;
import static io.distillery.export.OnnxTestSupport.run;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import io.distillery.export.OnnxTestSupport.Tensor;
import java.nio.file.Path;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BenchmarksTest {
  @TempDir Path dir;

  @Test
  void matMulModelComputesTheProduct() throws Exception {
    int n = 16;
    Path file = Benchmarks.writeMatMulModel(n, dir.resolve("matmul.onnx"));
    check(file);
    Random rng = new Random(5);
    float[][] a = OnnxGraphTest.random(rng, n, n);
    float[][] b = OnnxGraphTest.random(rng, n, n);
    Tensor y = run(file, Map.of("A", Tensor.of(OnnxGraphTest.flat(a), n, n),
        "B", Tensor.of(OnnxGraphTest.flat(b), n, n))).get("Y");
    assertArrayEquals(new long[] {n, n}, y.shape());
    assertClose(OnnxGraphTest.flat(OnnxGraphTest.matmul(a, b)), y.floats(), 1e-5, "Y");
  }
}
