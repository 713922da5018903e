package io.distillery.export.quantize;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtSession;
import io.distillery.core.BadInputException;
import io.distillery.export.OnnxTestSupport;
import io.distillery.export.OnnxTestSupport.Tensor;
import io.distillery.export.gpt.WeightTensor;
import io.distillery.export.graph.OnnxModels;
import io.distillery.export.onnx.OnnxProto.ModelProto;
import io.distillery.export.onnx.OnnxProto.NodeProto;
import io.distillery.export.student.StudentArchitecture;
import io.distillery.export.student.StudentExporter;
import io.distillery.export.student.StudentWeights;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DynamicInt8QuantizerTest {
  private static final StudentArchitecture ARCH = new StudentArchitecture(2, 64, 4, 128, 24, 1200, 3, 32);
  private static final int ROWS = 96;
  private static final int SEQ = 20;

  @TempDir Path dir;

  @Test
  void perChannelCodesRoundTripWithinHalfAScaleStep() {
    float[] w = {0.5f, -2f, 0f, 0.25f, 1f, 0f, -0.125f, 0.5f, 0f}; // [3, 3], last column all 0
    Int8Matrix cols = Int8Matrix.perColumn(w, 3, 3);
    assertArrayEquals(new float[] {0.5f / 127, 2f / 127, 1f}, cols.scales(), 1e-9f);
    assertEquals(127, cols.values()[0]); // each column's largest |w| takes the full range
    assertEquals(-127, cols.values()[1]);
    float[] back = cols.dequantize();
    for (int i = 0; i < w.length; i++) {
      assertTrue(Math.abs(back[i] - w[i]) <= cols.scales()[i % 3] / 2 + 1e-7, "element " + i);
    }
    Int8Matrix rows = Int8Matrix.perRow(w, 3, 3);
    assertArrayEquals(new float[] {2f / 127, 1f / 127, 0.5f / 127}, rows.scales(), 1e-9f);
    assertEquals(-127, rows.values()[1]);
    assertEquals(127, rows.values()[7]);
  }

  /**
   * The int8 student next to its fp32 export: the checker accepts it, every weight MatMul and
   * the word embedding lookup is rewritten, ORT fuses each MatMul into one DynamicQuantizeMatMul,
   * and logits and argmax agree on fixed rows.
   */
  @Test
  void int8StudentAgreesWithFp32AndOrtFusesItsMatMuls() throws Exception {
    Path fp32 = dir.resolve("fp32.onnx");
    StudentExporter.export(randomWeights(ARCH, 11), Map.of(), fp32);
    DynamicInt8Quantizer.Result r = DynamicInt8Quantizer.quantize(OnnxModels.read(fp32), fp32);
    Path int8 = OnnxTestSupport.writeChecked(r.model(), dir, "int8.onnx");

    int weightMatMuls = 1 + 4 * ARCH.layers() + 1; // projection, 4 per layer, head
    assertEquals(weightMatMuls, r.matMuls());
    assertEquals(1, r.gathers()); // the word table; the 24-row position table stays fp32
    assertEquals(0, count(r.model(), "MatMul") - 2 * ARCH.layers() - 1,
        "only activation MatMuls (2 per layer + pooling) stay fp32");
    assertTrue(Files.size(int8) < 0.4 * Files.size(fp32), "int8 file is about a quarter");

    Map<String, Tensor> feed = feed(new Random(5));
    float[] a = OnnxTestSupport.run(fp32, feed).get(StudentExporter.LOGITS).floats();
    float[] b = OnnxTestSupport.run(int8, feed).get(StudentExporter.LOGITS).floats();
    double spread = 0;
    double maxDiff = 0;
    for (int i = 0; i < a.length; i++) {
      spread = Math.max(spread, Math.abs(a[i]));
      maxDiff = Math.max(maxDiff, Math.abs(a[i] - b[i]));
    }
    assertTrue(maxDiff > 0, "int8 logits differ from fp32 at all: the rewrite took effect");
    assertTrue(maxDiff < 0.05 * spread, "max |int8 - fp32| " + maxDiff + " vs max |logit| " + spread);
    int agree = 0;
    for (int row = 0; row < ROWS; row++) {
      agree += argmax(a, row) == argmax(b, row) ? 1 : 0;
    }
    assertTrue(agree >= ROWS - 2, "argmax agreement " + agree + "/" + ROWS);

    Path optimised = dir.resolve("int8.ort.onnx");
    try (OrtSession.SessionOptions o = new OrtSession.SessionOptions()) {
      o.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.ALL_OPT);
      o.setOptimizedModelFilePath(optimised.toString());
      OrtEnvironment.getEnvironment().createSession(int8.toString(), o).close();
    }
    ModelProto fused = OnnxModels.read(optimised);
    assertEquals(weightMatMuls, count(fused, "DynamicQuantizeMatMul"));
    assertEquals(0, count(fused, "MatMulInteger") + count(fused, "DynamicQuantizeLinear"));
    assertEquals(ARCH.layers(), count(fused, "Gelu"), "the exporter's GELU is fused by ORT");
    assertEquals(0, count(fused, "Erf"));
  }

  @Test
  void aQuantisedModelIsRejected() {
    Path fp32 = dir.resolve("fp32.onnx");
    StudentExporter.export(randomWeights(ARCH, 12), Map.of(), fp32);
    ModelProto once = DynamicInt8Quantizer.quantize(OnnxModels.read(fp32), fp32).model();
    BadInputException e = assertThrows(BadInputException.class,
        () -> DynamicInt8Quantizer.quantize(once, Path.of("int8.onnx")));
    assertTrue(e.getMessage().contains("already quantised"), e.getMessage());
  }

  private static long count(ModelProto m, String opType) {
    return m.getGraph().getNodeList().stream().map(NodeProto::getOpType).filter(opType::equals)
        .count();
  }

  private static int argmax(float[] logits, int row) {
    int best = 0;
    for (int j = 1; j < ARCH.numLabels(); j++) {
      if (logits[row * ARCH.numLabels() + j] > logits[row * ARCH.numLabels() + best]) {
        best = j;
      }
    }
    return best;
  }

  /** {@value #ROWS} rows of random ids, each with its own length (padding masked). */
  private static Map<String, Tensor> feed(Random rnd) {
    long[] ids = new long[ROWS * SEQ];
    long[] mask = new long[ROWS * SEQ];
    for (int r = 0; r < ROWS; r++) {
      int len = 3 + rnd.nextInt(SEQ - 2);
      for (int t = 0; t < len; t++) {
        ids[r * SEQ + t] = rnd.nextInt(ARCH.vocabSize());
        mask[r * SEQ + t] = 1;
      }
    }
    Map<String, Tensor> in = new LinkedHashMap<>();
    in.put(StudentExporter.INPUT_IDS, Tensor.of(ids, ROWS, SEQ));
    in.put(StudentExporter.ATTENTION_MASK, Tensor.of(mask, ROWS, SEQ));
    return in;
  }

  private static StudentWeights randomWeights(StudentArchitecture arch, long seed) {
    Random rnd = new Random(seed);
    Map<String, WeightTensor> t = new LinkedHashMap<>();
    arch.weightShapes().forEach((name, shape) -> {
      float[] v = new float[(int) Arrays.stream(shape).reduce(1, (x, y) -> x * y)];
      for (int i = 0; i < v.length; i++) {
        v[i] = (float) (rnd.nextGaussian() * 0.3);
      }
      t.put(name, new WeightTensor(shape, v));
    });
    return new StudentWeights(arch, t);
  }
}
