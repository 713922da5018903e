package io.distillery.train.student;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.training.ParameterStore;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtSession;
import io.distillery.export.check.OnnxChecker;
import io.distillery.export.gpt.WeightTensor;
import io.distillery.export.student.StudentExporter;
import io.distillery.export.student.StudentWeights;
import java.nio.LongBuffer;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;
import io.distillery.train.gpt.TorchThreads;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The exported student in ONNX Runtime computes what the DJL student computes. */
class StudentExportParityTest {
  static {
    // one intra-op thread: tiny models gain nothing from more, and OpenMP spinning on a
    // busy 2-core machine slows them tenfold (only acts if the engine is not started yet)
    TorchThreads.configure(1, 1);
  }
  @TempDir Path dir;

  private static final long[][][] BATCHES = {
      {{2, 9, 17, 5, 3}, {2, 30, 3}, {2, 3, 4, 5, 6, 7, 8, 11, 3}},
      {{2, 3}},
      {{2, 39, 38, 37, 36, 35, 34, 33, 32, 31, 30, 3}, {2, 1, 3}},
  };

  @Test
  void factorisedStudentMatchesOnPaddedBatches() throws Exception {
    check(StudentClassifierTest.TINY, 7);
  }

  @Test
  void plainEmbeddingStudentMatchesOnPaddedBatches() throws Exception {
    check(new StudentConfig(3, 24, 3, 40, 12, 40, 2, 0, 0.0), 8);
  }

  private void check(StudentConfig config, int seed) throws Exception {
    try (NDManager m = StudentClassifierTest.manager()) {
      StudentClassifier model = StudentClassifierTest.tiny(m, config, seed);
      model.load(perturbed(model.weights(), seed)); // norms, biases and scales away from init
      Path file = dir.resolve("student-" + seed + ".onnx");
      StudentExporter.export(model.weights(), Map.of("distillery.test", "parity"), file);
      OnnxChecker.check(file);
      ParameterStore ps = new ParameterStore(m, false);
      OrtEnvironment env = OrtEnvironment.getEnvironment();
      try (OrtSession session = env.createSession(file.toString(), new OrtSession.SessionOptions())) {
        for (long[][] rows : BATCHES) {
          NDArray[] x = StudentClassifierTest.batch(m, rows);
          float[] djl = model.logits(ps, x[0], x[1], false).toFloatArray();
          float[] ort = run(env, session, x[0].toLongArray(), x[1].toLongArray(), x[0].getShape().getShape());
          assertArrayEquals(djl, ort, 1e-4f, "batch of " + rows.length);
          assertTrue(Math.abs(ort[0]) > 1e-3, "logits should not be trivially zero");
        }
      }
    }
  }

  private static StudentWeights perturbed(StudentWeights w, int seed) {
    Random rnd = new Random(seed);
    Map<String, WeightTensor> out = new LinkedHashMap<>();
    w.tensors().forEach((name, t) -> {
      float[] v = t.values().clone();
      for (int i = 0; i < v.length; i++) {
        v[i] += (float) (rnd.nextGaussian() * 0.2);
      }
      out.put(name, new WeightTensor(t.shape(), v));
    });
    return new StudentWeights(w.architecture(), out);
  }

  private static float[] run(OrtEnvironment env, OrtSession session, long[] ids, long[] mask,
      long[] shape) throws Exception {
    try (OnnxTensor i = OnnxTensor.createTensor(env, LongBuffer.wrap(ids), shape);
        OnnxTensor a = OnnxTensor.createTensor(env, LongBuffer.wrap(mask), shape);
        OnnxTensor t = OnnxTensor.createTensor(env, LongBuffer.wrap(new long[ids.length]), shape);
        OrtSession.Result r = session.run(Map.of(StudentExporter.INPUT_IDS, i,
            StudentExporter.ATTENTION_MASK, a, StudentExporter.TOKEN_TYPE_IDS, t))) {
      float[][] logits = (float[][]) r.get(StudentExporter.LOGITS).orElseThrow().getValue();
      float[] flat = new float[logits.length * logits[0].length];
      for (int b = 0; b < logits.length; b++) {
        System.arraycopy(logits[b], 0, flat, b * logits[0].length, logits[0].length);
      }
      return flat;
    }
  }
}
