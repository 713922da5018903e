package io.distillery.export.student;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import io.distillery.core.ConfigException;
import io.distillery.core.ShapeMismatchException;
import io.distillery.export.OnnxTestSupport;
import io.distillery.export.OnnxTestSupport.Tensor;
import io.distillery.export.gpt.WeightTensor;
import io.distillery.export.graph.OnnxModels;
import io.distillery.export.onnx.OnnxProto.ModelProto;
import io.distillery.export.onnx.OnnxProto.StringStringEntryProto;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StudentExporterTest {
  @TempDir Path dir;

  static StudentWeights randomWeights(StudentArchitecture arch, long seed) {
    Random rnd = new Random(seed);
    Map<String, WeightTensor> t = new LinkedHashMap<>();
    arch.weightShapes().forEach((name, shape) -> {
      int n = (int) Arrays.stream(shape).reduce(1, (a, b) -> a * b);
      float[] v = new float[n];
      for (int i = 0; i < n; i++) {
        v[i] = (float) (rnd.nextGaussian() * 0.3);
      }
      t.put(name, new WeightTensor(shape, v));
    });
    return new StudentWeights(arch, t);
  }

  private static Map<String, Tensor> feed(long[][] rows, int seq, boolean typeIds) {
    long[] ids = new long[rows.length * seq];
    long[] mask = new long[rows.length * seq];
    for (int r = 0; r < rows.length; r++) {
      for (int t = 0; t < rows[r].length; t++) {
        ids[r * seq + t] = rows[r][t];
        mask[r * seq + t] = 1;
      }
    }
    Map<String, Tensor> in = new LinkedHashMap<>();
    in.put(StudentExporter.INPUT_IDS, Tensor.of(ids, rows.length, seq));
    in.put(StudentExporter.ATTENTION_MASK, Tensor.of(mask, rows.length, seq));
    if (typeIds) {
      in.put(StudentExporter.TOKEN_TYPE_IDS, Tensor.of(new long[rows.length * seq], rows.length, seq));
    }
    return in;
  }

  @Test
  void signatureIsTheTeachersAndTheCheckerAcceptsIt() throws Exception {
    StudentArchitecture arch = new StudentArchitecture(2, 16, 4, 32, 12, 50, 3, 8);
    Path file = dir.resolve("model.onnx");
    StudentExporter.export(randomWeights(arch, 1), Map.of("distillery.teacher_sha256", "abc"), file);
    OnnxTestSupport.check(file);
    ModelProto model = OnnxModels.read(file);
    assertEquals(8, model.getIrVersion());
    assertEquals(17, model.getOpsetImport(0).getVersion());
    assertEquals(List.of("input_ids", "attention_mask", "token_type_ids"),
        model.getGraph().getInputList().stream().map(v -> v.getName()).toList());
    assertEquals(List.of("logits"),
        model.getGraph().getOutputList().stream().map(v -> v.getName()).toList());
    Map<String, String> meta = model.getMetadataPropsList().stream().collect(
        Collectors.toMap(StringStringEntryProto::getKey, StringStringEntryProto::getValue));
    assertEquals("abc", meta.get("distillery.teacher_sha256"));
    assertEquals(arch.summary(), meta.get("distillery.architecture"));
    assertEquals(Long.toString(arch.parameterCount()), meta.get("distillery.parameters"));

    // ORT takes the unused token_type_ids input and also runs without it
    OrtEnvironment env = OrtEnvironment.getEnvironment();
    try (OrtSession s = env.createSession(file.toString(), new OrtSession.SessionOptions())) {
      assertEquals(List.of("input_ids", "attention_mask", "token_type_ids"),
          List.copyOf(s.getInputNames()));
    }
    long[][] rows = {{2, 7, 9, 3}, {2, 5, 3}};
    Tensor with = OnnxTestSupport.run(file, feed(rows, 4, true)).get("logits");
    Tensor without = OnnxTestSupport.run(file, feed(rows, 4, false)).get("logits");
    assertArrayEquals(new long[] {2, 3}, with.shape());
    assertArrayEquals(with.floats(), without.floats(), 0f);
  }

  @Test
  void weightsReadBackFromTheFileRebuildTheSameModel() {
    StudentArchitecture arch = new StudentArchitecture(2, 16, 4, 32, 12, 50, 3, 8);
    assertEquals(arch, StudentArchitecture.fromSummary(arch.summary()));
    ModelProto model = StudentExporter.build(randomWeights(arch, 4), Map.of("k", "v"));
    StudentWeights back = StudentWeights.read(model, Path.of("model.onnx"));
    assertEquals(arch, back.architecture());
    Map<String, String> meta = model.getMetadataPropsList().stream().collect(Collectors.toMap(
        StringStringEntryProto::getKey, StringStringEntryProto::getValue, (a, b) -> a,
        LinkedHashMap::new));
    assertEquals(model, StudentExporter.build(back, meta));
    ConfigException e = assertThrows(ConfigException.class,
        () -> StudentArchitecture.fromSummary("layers=2,width=16"));
    assertTrue(e.getMessage().contains("heads"), e.getMessage());
  }

  @Test
  void paddingDoesNotChangeARowsLogits() throws OrtException {
    StudentArchitecture arch = new StudentArchitecture(2, 16, 2, 24, 10, 40, 2, 0);
    Path file = dir.resolve("pad.onnx");
    StudentExporter.export(randomWeights(arch, 2), Map.of(), file);
    long[] row = {1, 17, 23, 4, 2};
    float[] alone = OnnxTestSupport.run(file, feed(new long[][] {row}, 5, true)).get("logits").floats();
    float[] padded = OnnxTestSupport.run(file,
        feed(new long[][] {{1, 9, 2}, row, {1, 2}}, 9, true)).get("logits").floats();
    OnnxTestSupport.assertClose(alone, Arrays.copyOfRange(padded, 2, 4), 1e-5, "padded row");
    // the other rows really differ: the test can fail
    assertTrue(Math.abs(padded[0] - padded[2]) + Math.abs(padded[1] - padded[3]) > 1e-3);
  }

  /** With no layers the model is LN(word·proj + pos), mean-pooled, then the head: check by hand. */
  @Test
  void bagOfEmbeddingsMatchesAJavaReference() throws OrtException {
    StudentArchitecture arch = new StudentArchitecture(0, 6, 2, 4, 8, 20, 3, 4);
    StudentWeights w = randomWeights(arch, 3);
    Path file = dir.resolve("bag.onnx");
    StudentExporter.export(w, Map.of(), file);
    long[][] rows = {{3, 11, 19}, {0, 7}};
    float[] onnx = OnnxTestSupport.run(file, feed(rows, 3, true)).get("logits").floats();
    float[] expected = new float[rows.length * 3];
    for (int r = 0; r < rows.length; r++) {
      double[] pooled = new double[6];
      for (int t = 0; t < rows[r].length; t++) {
        double[] h = new double[6];
        for (int d = 0; d < 6; d++) {
          for (int e = 0; e < 4; e++) {
            h[d] += w.tensor(StudentArchitecture.WORD_EMBEDDINGS).values()[(int) rows[r][t] * 4 + e]
                * w.tensor(StudentArchitecture.WORD_PROJECTION).values()[e * 6 + d];
          }
          h[d] += w.tensor(StudentArchitecture.POSITION_EMBEDDINGS).values()[t * 6 + d];
        }
        double mean = Arrays.stream(h).average().orElseThrow();
        double var = Arrays.stream(h).map(x -> (x - mean) * (x - mean)).average().orElseThrow();
        for (int d = 0; d < 6; d++) {
          double n = (h[d] - mean) / Math.sqrt(var + StudentExporter.LN_EPS);
          pooled[d] += (n * w.tensor(StudentArchitecture.FINAL_NORM_WEIGHT).values()[d]
              + w.tensor(StudentArchitecture.FINAL_NORM_BIAS).values()[d]) / rows[r].length;
        }
      }
      for (int l = 0; l < 3; l++) {
        double z = w.tensor(StudentArchitecture.CLASSIFIER_BIAS).values()[l];
        for (int d = 0; d < 6; d++) {
          z += pooled[d] * w.tensor(StudentArchitecture.CLASSIFIER_WEIGHT).values()[d * 3 + l];
        }
        expected[r * 3 + l] = (float) z;
      }
    }
    OnnxTestSupport.assertClose(expected, onnx, 1e-4, "bag-of-embeddings logits");
  }

  @Test
  void weightsAndArchitectureAreValidated() {
    assertThrows(ConfigException.class, () -> new StudentArchitecture(2, 10, 4, 8, 8, 10, 2, 0));
    assertThrows(ConfigException.class, () -> new StudentArchitecture(2, 8, 4, 8, 8, 10, 1, 0));
    StudentArchitecture arch = new StudentArchitecture(1, 8, 2, 8, 4, 10, 2, 0);
    Map<String, WeightTensor> t = new LinkedHashMap<>(randomWeights(arch, 4).tensors());
    t.put(StudentArchitecture.CLASSIFIER_BIAS, new WeightTensor(new long[] {3}, new float[3]));
    ShapeMismatchException e =
        assertThrows(ShapeMismatchException.class, () -> new StudentWeights(arch, t));
    assertTrue(e.getMessage().contains("classifier.bias") && e.getMessage().contains("[2]"),
        e.getMessage());
    t.remove(StudentArchitecture.CLASSIFIER_BIAS);
    e = assertThrows(ShapeMismatchException.class, () -> new StudentWeights(arch, t));
    assertTrue(e.getMessage().contains("no tensor named 'classifier.bias'"), e.getMessage());
    assertEquals(arch.parameterCount(), randomWeights(arch, 5).parameterCount());
  }
}
