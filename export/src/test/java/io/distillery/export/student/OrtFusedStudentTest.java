package io.distillery.export.student;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.distillery.export.OnnxTestSupport;
import io.distillery.export.OnnxTestSupport.Tensor;
import io.distillery.export.graph.ContribOp;
import io.distillery.export.onnx.OnnxProto.ModelProto;
import io.distillery.export.onnx.OnnxProto.NodeProto;
import io.distillery.export.quantize.DynamicInt8Quantizer;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The student written with ONNX Runtime's fused kernels computes what the plain graph does. */
class OrtFusedStudentTest {
  @TempDir Path dir;

  /** A batch of rows of different lengths, right-padded (padding ids are random, not 0). */
  private static Map<String, Tensor> paddedBatch(int vocab, int rows, int seq, long seed) {
    Random rnd = new Random(seed);
    long[] ids = new long[rows * seq];
    long[] mask = new long[rows * seq];
    for (int r = 0; r < rows; r++) {
      int len = r == 0 ? seq : 1 + rnd.nextInt(seq);
      for (int t = 0; t < seq; t++) {
        ids[r * seq + t] = rnd.nextInt(vocab);
        mask[r * seq + t] = t < len ? 1 : 0;
      }
    }
    Map<String, Tensor> in = new LinkedHashMap<>();
    in.put(StudentExporter.INPUT_IDS, Tensor.of(ids, rows, seq));
    in.put(StudentExporter.ATTENTION_MASK, Tensor.of(mask, rows, seq));
    in.put(StudentExporter.TOKEN_TYPE_IDS, Tensor.of(new long[rows * seq], rows, seq));
    return in;
  }

  @ParameterizedTest(name = "layers {0}, width {1}, heads {2}, factorised {3}")
  @CsvSource({"2, 32, 4, 8", "1, 24, 3, 0", "3, 16, 2, 16", "0, 16, 4, 0"})
  void fusedGraphMatchesThePlainOne(int layers, int width, int heads, int embeddingDim)
      throws Exception {
    StudentArchitecture arch =
        new StudentArchitecture(layers, width, heads, 2 * width, 20, 97, 3, embeddingDim);
    StudentWeights w = StudentExporterTest.randomWeights(arch, 7 + layers);
    ModelProto plain = StudentExporter.build(w, Map.of());
    ModelProto fused = StudentExporter.build(w, Map.of(), true);
    Path plainFile = OnnxTestSupport.writeChecked(plain, dir, "plain-" + layers + ".onnx");
    Path fusedFile = OnnxTestSupport.writeChecked(fused, dir, "fused-" + layers + ".onnx");

    long contrib = fused.getGraph().getNodeList().stream()
        .filter(n -> n.getDomain().equals(ContribOp.DOMAIN)).count();
    assertEquals(4L * layers + 1, contrib, "per layer Attention, BiasGelu, 2 SkipLN; 1 first SkipLN");
    assertTrue(fused.getOpsetImportList().stream().anyMatch(
        id -> id.getDomain().equals(ContribOp.DOMAIN) && id.getVersion() == ContribOp.VERSION));
    if (layers > 0) {
      assertTrue(fused.getGraph().getNodeCount() * 2 < plain.getGraph().getNodeCount(),
          fused.getGraph().getNodeCount() + " fused nodes vs " + plain.getGraph().getNodeCount());
    }
    for (int rows : new int[] {1, 5}) {
      Map<String, Tensor> in = paddedBatch(arch.vocabSize(), rows, 11, rows);
      float[] expected = OnnxTestSupport.run(plainFile, in).get(StudentExporter.LOGITS).floats();
      float[] actual = OnnxTestSupport.run(fusedFile, in).get(StudentExporter.LOGITS).floats();
      OnnxTestSupport.assertClose(expected, actual, 1e-4, "fused vs plain logits, batch " + rows);
    }
  }

  @ParameterizedTest(name = "int8 of the fused graph, layers {0}")
  @CsvSource({"2"})
  void int8OfTheFusedGraphStaysCloseAndKeepsTheFusedKernels(int layers) throws Exception {
    StudentArchitecture arch = new StudentArchitecture(layers, 32, 4, 64, 20, 97, 3, 8);
    StudentWeights w = StudentExporterTest.randomWeights(arch, 3);
    Path fusedFile = OnnxTestSupport.writeChecked(StudentExporter.build(w, Map.of(), true), dir,
        "fused.onnx");
    DynamicInt8Quantizer.Result q =
        DynamicInt8Quantizer.quantize(StudentExporter.build(w, Map.of(), true), fusedFile);
    // per block the projection in Attention (QAttention), the output one and two FFN; the word
    // projection and the head
    assertEquals(4 * layers + 2, q.matMuls());
    Path int8File = OnnxTestSupport.writeChecked(q.model(), dir, "fused-int8.onnx");
    for (String op : new String[] {"QAttention", "SkipLayerNormalization", "BiasGelu"}) {
      assertTrue(q.model().getGraph().getNodeList().stream().map(NodeProto::getOpType)
          .anyMatch(op::equals), op + " kept");
    }
    Map<String, Tensor> in = paddedBatch(arch.vocabSize(), 6, 12, 9);
    float[] fp32 = OnnxTestSupport.run(fusedFile, in).get(StudentExporter.LOGITS).floats();
    float[] int8 = OnnxTestSupport.run(int8File, in).get(StudentExporter.LOGITS).floats();
    double scale = 0;
    double err = 0;
    for (int i = 0; i < fp32.length; i++) {
      scale = Math.max(scale, Math.abs(fp32[i]));
      err = Math.max(err, Math.abs(fp32[i] - int8[i]));
    }
    assertTrue(err < 0.1 * scale, "int8 error " + err + " vs logit scale " + scale);
    assertTrue(err > 0, "int8 changed nothing: not quantised?");
    // the plain graph's int8 export quantises the same activations with the same scales, so the
    // two int8 files agree far more closely than either agrees with fp32 (padding masked alike)
    ModelProto plain = StudentExporter.build(w, Map.of());
    Path plainInt8 = OnnxTestSupport.writeChecked(
        DynamicInt8Quantizer.quantize(plain, fusedFile).model(), dir, "plain-int8.onnx");
    float[] reference = OnnxTestSupport.run(plainInt8, in).get(StudentExporter.LOGITS).floats();
    OnnxTestSupport.assertClose(reference, int8, Math.max(1e-4, err / 20),
        "fused int8 vs plain int8 (fp32 error " + err + ")");
  }
}
