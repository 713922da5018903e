package io.distillery.train.gpt;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import io.distillery.export.check.OnnxChecker;
import io.distillery.export.gpt.GptExporter;
import io.distillery.export.graph.OnnxModels;
import java.nio.FloatBuffer;
import java.nio.LongBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The exported graph run by ONNX Runtime equals the DJL forward, with and without a past. */
class GptOnnxParityTest {
  static final float TOL = 1e-4f;
  static final GptConfig C = GptModelTest.TINY;
  @TempDir static Path dir;
  static Path onnx;

  @BeforeAll
  static void export() {
    onnx = dir.resolve("model.onnx");
    try (NDManager m = NDManager.newBaseManager()) {
      GptModel model = GptModelTest.tinyModel(m, 21);
      GptExporter.export(C.architecture(), GptWeights.export(model), Map.of("test", "parity"),
          onnx);
    }
  }

  @Test
  void checkerAcceptsTheFileAndMetadataSaysHowItWasMade() {
    OnnxChecker.check(onnx);
    var model = OnnxModels.read(onnx);
    assertEquals(8, model.getIrVersion());
    assertEquals(17, model.getOpsetImport(0).getVersion());
    var meta = new HashMap<String, String>();
    model.getMetadataPropsList().forEach(e -> meta.put(e.getKey(), e.getValue()));
    assertEquals("text-generation-with-past", meta.get("distillery.signature"));
    assertEquals("parity", meta.get("test"));
    assertTrue(meta.get("distillery.architecture").contains("layers=2"));
  }

  @Test
  void ortLogitsEqualDjlWithEmptyPastThenWithPast() throws OrtException {
    OrtEnvironment env = OrtEnvironment.getEnvironment();
    try (NDManager m = NDManager.newBaseManager();
        OrtSession session = env.createSession(onnx.toString(), new OrtSession.SessionOptions())) {
      GptModel model = GptModelTest.tinyModel(m, 21);
      ParameterStore ps = new ParameterStore(m, false);
      // row 0 left-padded by two, row 1 full
      long[] ids = {0, 0, 5, 6, 7, 1, 2, 3, 4, 5};
      long[] pos = {0, 0, 0, 1, 2, 0, 1, 2, 3, 4};
      long[] mask = {0, 0, 1, 1, 1, 1, 1, 1, 1, 1};
      GptModel.StepOutput djl = model.step(ps, m.create(ids, new Shape(2, 5)),
          m.create(pos, new Shape(2, 5)), m.create(mask, new Shape(2, 5)), model.emptyPast(m, 2),
          model.emptyPast(m, 2), false);
      List<float[]> pastK = new ArrayList<>();
      List<float[]> pastV = new ArrayList<>();
      float[] logits = run(env, session, ids, pos, mask, 2, 5, 0, pastK, pastV);
      assertArrayEquals(djl.logits().toFloatArray(), logits, TOL);
      for (int i = 0; i < C.layers(); i++) {
        assertArrayEquals(djl.presentKeys().get(i).toFloatArray(), pastK.get(i), TOL);
        assertArrayEquals(djl.presentValues().get(i).toFloatArray(), pastV.get(i), TOL);
      }
      // second step: one new token per row, past of 5
      long[] ids2 = {8, 6};
      long[] pos2 = {3, 5};
      long[] mask2 = {0, 0, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1};
      GptModel.StepOutput djl2 = model.step(ps, m.create(ids2, new Shape(2, 1)),
          m.create(pos2, new Shape(2, 1)), m.create(mask2, new Shape(2, 6)), djl.presentKeys(),
          djl.presentValues(), false);
      float[] logits2 = run(env, session, ids2, pos2, mask2, 2, 1, 5, pastK, pastV);
      assertArrayEquals(djl2.logits().toFloatArray(), logits2, TOL);
      // and the cached result equals the uncached full forward of the unpadded row 1
      NDArray full = model.logits(ps, m.create(new long[] {1, 2, 3, 4, 5, 6}, new Shape(1, 6)),
          false);
      float[] row1 = new float[C.vocab()];
      System.arraycopy(logits2, C.vocab(), row1, 0, C.vocab());
      assertArrayEquals(full.get("0, 5").toFloatArray(), row1, TOL);
    }
  }

  @Test
  void importedWeightsGiveTheSameLogits() {
    try (NDManager m = NDManager.newBaseManager()) {
      GptModel original = GptModelTest.tinyModel(m, 21);
      GptModel imported = GptModelTest.tinyModel(m, 77);
      GptWeights.importOnnx(imported, onnx);
      ParameterStore ps = new ParameterStore(m, false);
      NDArray ids = m.create(new long[] {4, 8, 15, 16, 23, 36}, new Shape(1, 6));
      assertArrayEquals(original.logits(ps, ids, false).toFloatArray(),
          imported.logits(ps, ids, false).toFloatArray(), 0f);
    }
  }

  /** Runs one step; replaces pastK/pastV with the presents. Returns logits, flat. */
  static float[] run(OrtEnvironment env, OrtSession s, long[] ids, long[] pos, long[] mask, int b,
      int t, int past, List<float[]> pastK, List<float[]> pastV) throws OrtException {
    Map<String, OnnxTensor> in = new HashMap<>();
    try {
      in.put("input_ids", OnnxTensor.createTensor(env, LongBuffer.wrap(ids), new long[] {b, t}));
      in.put("position_ids", OnnxTensor.createTensor(env, LongBuffer.wrap(pos), new long[] {b, t}));
      in.put("attention_mask",
          OnnxTensor.createTensor(env, LongBuffer.wrap(mask), new long[] {b, past + t}));
      long[] pastShape = {b, C.heads(), past, C.headDim()};
      for (int i = 0; i < C.layers(); i++) {
        float[] k = past == 0 ? new float[0] : pastK.get(i);
        float[] v = past == 0 ? new float[0] : pastV.get(i);
        in.put(GptExporter.pastKey(i), OnnxTensor.createTensor(env, FloatBuffer.wrap(k), pastShape));
        in.put(GptExporter.pastValue(i),
            OnnxTensor.createTensor(env, FloatBuffer.wrap(v), pastShape));
      }
      try (OrtSession.Result r = s.run(in)) {
        pastK.clear();
        pastV.clear();
        for (int i = 0; i < C.layers(); i++) {
          pastK.add(flat((OnnxTensor) r.get(GptExporter.presentKey(i)).get()));
          pastV.add(flat((OnnxTensor) r.get(GptExporter.presentValue(i)).get()));
        }
        return flat((OnnxTensor) r.get("logits").get());
      }
    } finally {
      in.values().forEach(OnnxTensor::close);
    }
  }

  static float[] flat(OnnxTensor t) {
    FloatBuffer fb = t.getFloatBuffer();
    float[] out = new float[fb.remaining()];
    fb.get(out);
    return out;
  }
}
