package io.distillery.train.gpt;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import io.distillery.core.BadInputException;
import io.distillery.export.gpt.WeightTensor;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class GptTrainerTest {
  /** A periodic stream the tiny model can learn quickly. */
  static PackedTokens periodic(int n, int offset) {
    int[] t = new int[n];
    for (int i = 0; i < n; i++) {
      t[i] = (i + offset) % 7 * 3 + 1;
    }
    return new PackedTokens(t);
  }

  static int[] oneBytePerToken() {
    int[] b = new int[GptModelTest.TINY.vocab()];
    Arrays.fill(b, 1);
    return b;
  }

  static GptTrainingConfig config(int steps) {
    return new GptTrainingConfig(steps, 4, 8, 1e-2, 1e-3, 2, 0.01, 1.0, 11L, 3, 0, 4);
  }

  @Test
  void learningRateWarmsUpThenDecaysToTheMinimum() {
    GptTrainingConfig c = new GptTrainingConfig(100, 1, 1, 1.0, 0.1, 10, 0, 0, 1, 10, 0, 1);
    assertEquals(0.1, c.learningRateAt(0), 1e-12);
    assertEquals(1.0, c.learningRateAt(9), 1e-12);
    assertEquals(1.0, c.learningRateAt(10), 1e-12);
    assertEquals(0.1, c.learningRateAt(99), 1e-12);
    assertTrue(c.learningRateAt(50) < 0.7 && c.learningRateAt(50) > 0.4);
  }

  @Test
  void trainingLowersHeldOutLossAndResumeIsExact(@TempDir Path dir) {
    PackedTokens train = periodic(400, 0);
    PackedTokens heldOut = periodic(100, 3);
    ByteArrayOutputStream log = new ByteArrayOutputStream();
    PrintStream err = new PrintStream(log, true, StandardCharsets.UTF_8);
    float[] straight;
    double before;
    GptTrainer.Result full;
    try (NDManager m = NDManager.newBaseManager()) {
      GptModel model = GptModelTest.tinyModel(m, 5);
      before = new GptTrainer(config(30), err).evaluate(model, m, heldOut, oneBytePerToken())
          .natsPerToken();
      full = new GptTrainer(config(30), err).train(model, m, train, heldOut, oneBytePerToken(),
          dir.resolve("a"), Integer.MAX_VALUE);
      straight = GptWeights.export(model).get("transformer.h.1.mlp.c_fc.weight").values();
    }
    assertNotNull(full.heldOut());
    assertTrue(full.heldOut().natsPerToken() < before - 1.0,
        "held-out loss " + before + " -> " + full.heldOut().natsPerToken());
    assertEquals(full.heldOut().natsPerToken() / Math.log(2), full.heldOut().bitsPerByte(), 1e-9);
    // the same run stopped at step 12 and resumed in a fresh model gives the same weights
    try (NDManager m = NDManager.newBaseManager()) {
      GptTrainer.Result part = new GptTrainer(config(30), err).train(GptModelTest.tinyModel(m, 5),
          m, train, heldOut, oneBytePerToken(), dir.resolve("b"), 12);
      assertEquals(12, part.endStep());
      assertNull(part.heldOut());
    }
    try (NDManager m = NDManager.newBaseManager()) {
      GptModel fresh = GptModelTest.tinyModel(m, 99);
      GptTrainer.Result rest = new GptTrainer(config(30), err).train(fresh, m, train, heldOut,
          oneBytePerToken(), dir.resolve("b"), Integer.MAX_VALUE);
      assertEquals(12, rest.startStep());
      float[] resumed = GptWeights.export(fresh).get("transformer.h.1.mlp.c_fc.weight").values();
      assertArrayEquals(straight, resumed, 1e-5f);
    }
    String text = log.toString(StandardCharsets.UTF_8);
    assertTrue(text.contains("tokens/s") && text.contains("ETA") && text.contains("resumed"), text);
  }

  @Test
  void checkpointForAnotherShapeIsRejected(@TempDir Path dir) {
    try (NDManager m = NDManager.newBaseManager()) {
      GptModel model = GptModelTest.tinyModel(m, 6);
      GptCheckpoint.save(dir, model, new AdamW(model.namedParameters(), m, 0), 3);
      GptModel other = new GptModel(new GptConfig(1, 16, 4, 12, 37));
      other.initialize(m);
      BadInputException e = assertThrows(BadInputException.class, () -> GptCheckpoint.load(dir, other));
      assertTrue(e.getMessage().contains("checkpoint is for"), e.getMessage());
    }
  }

  @Test
  void weightsRoundTripAndNameOrShapeErrorsAreClear() {
    try (NDManager m = NDManager.newBaseManager()) {
      GptModel a = GptModelTest.tinyModel(m, 7);
      GptModel b = GptModelTest.tinyModel(m, 8);
      Map<String, WeightTensor> w = GptWeights.export(a);
      GptWeights.load(b, w, Path.of("a.onnx"));
      assertArrayEquals(w.get("transformer.wte.weight").values(),
          GptWeights.export(b).get("transformer.wte.weight").values());
      Map<String, WeightTensor> missing = new java.util.LinkedHashMap<>(w);
      missing.remove("transformer.h.1.ln_2.bias");
      BadInputException e1 = assertThrows(BadInputException.class,
          () -> GptWeights.load(b, missing, Path.of("x.onnx")));
      assertTrue(e1.getMessage().startsWith("x.onnx: no weight named 'transformer.h.1.ln_2.bias'"),
          e1.getMessage());
      Map<String, WeightTensor> wrong = new java.util.LinkedHashMap<>(w);
      wrong.put("transformer.wpe.weight", new WeightTensor(new long[] {16, 12}, new float[192]));
      BadInputException e2 = assertThrows(BadInputException.class,
          () -> GptWeights.load(b, wrong, Path.of("x.onnx")));
      assertTrue(e2.getMessage().contains("has shape [16, 12], expected [12, 16]"), e2.getMessage());
    }
  }
}
