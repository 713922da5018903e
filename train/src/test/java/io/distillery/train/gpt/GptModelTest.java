package io.distillery.train.gpt;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import io.distillery.core.ConfigException;
import io.distillery.core.ShapeMismatchException;
import java.util.List;
import org.junit.jupiter.api.Test;

class GptModelTest {
  static final GptConfig TINY = new GptConfig(2, 16, 4, 12, 37);

  static GptModel tinyModel(NDManager m, int seed) {
    Engine.getInstance().setRandomSeed(seed);
    GptModel model = new GptModel(TINY);
    model.initialize(m);
    return model;
  }

  @Test
  void configRejectsWidthNotDivisibleByHeads() {
    ConfigException e = assertThrows(ConfigException.class, () -> new GptConfig(2, 10, 4, 8, 9));
    assertTrue(e.getMessage().contains("divisible"), e.getMessage());
    try (NDManager m = NDManager.newBaseManager()) {
      long actual = tinyModel(m, 0).namedParameters().values().stream()
          .mapToLong(p -> p.getArray().size()).sum();
      assertEquals(actual, TINY.parameterCount());
    }
  }

  @Test
  void logitsHaveShapeBatchTimeVocabAndAreCausal() {
    try (NDManager m = NDManager.newBaseManager()) {
      GptModel model = tinyModel(m, 1);
      ParameterStore ps = new ParameterStore(m, false);
      NDArray a = model.logits(ps, m.create(new long[] {1, 2, 3, 4, 5}, new Shape(1, 5)), false);
      assertEquals(new Shape(1, 5, 37), a.getShape());
      NDArray b = model.logits(ps, m.create(new long[] {1, 2, 3, 9, 9}, new Shape(1, 5)), false);
      // positions 0..2 cannot see the changed tokens 3..4
      assertArrayEquals(a.get("0, 0:3").toFloatArray(), b.get("0, 0:3").toFloatArray(), 1e-6f);
      assertTrue(a.get("0, 4").sub(b.get("0, 4")).abs().max().getFloat() > 1e-4);
    }
  }

  @Test
  void cachedStepsEqualOneFullForward() {
    try (NDManager m = NDManager.newBaseManager()) {
      GptModel model = tinyModel(m, 2);
      ParameterStore ps = new ParameterStore(m, false);
      long[] ids = {3, 1, 4, 1, 5, 9, 2};
      NDArray full = model.logits(ps, m.create(ids, new Shape(1, ids.length)), false);
      // first 4 tokens with an empty past, then one token at a time
      GptModel.StepOutput out = model.step(ps, m.create(new long[] {3, 1, 4, 1}, new Shape(1, 4)),
          m.create(new long[] {0, 1, 2, 3}, new Shape(1, 4)), m.ones(new Shape(1, 4)).toType(
              ai.djl.ndarray.types.DataType.INT64, false), model.emptyPast(m, 1),
          model.emptyPast(m, 1), false);
      assertArrayEquals(full.get("0, 0:4").toFloatArray(), out.logits().get(0).toFloatArray(),
          1e-5f);
      for (int i = 4; i < ids.length; i++) {
        out = model.step(ps, m.create(new long[] {ids[i]}, new Shape(1, 1)),
            m.create(new long[] {i}, new Shape(1, 1)),
            m.ones(new Shape(1, i + 1)).toType(ai.djl.ndarray.types.DataType.INT64, false),
            out.presentKeys(), out.presentValues(), false);
        assertEquals(new Shape(1, 4, i + 1, 4), out.presentKeys().get(1).getShape());
        assertArrayEquals(full.get("0, " + i).toFloatArray(), out.logits().get("0, 0").toFloatArray(),
            1e-5f, "position " + i);
      }
    }
  }

  @Test
  void leftPaddedRowMatchesUnpaddedRow() {
    try (NDManager m = NDManager.newBaseManager()) {
      GptModel model = tinyModel(m, 3);
      ParameterStore ps = new ParameterStore(m, false);
      NDArray alone = model.logits(ps, m.create(new long[] {7, 8, 9}, new Shape(1, 3)), false);
      // row 0: two pads then 7 8 9 at positions 0..2; row 1: five real tokens
      NDArray ids = m.create(new long[] {0, 0, 7, 8, 9, 1, 2, 3, 4, 5}, new Shape(2, 5));
      NDArray pos = m.create(new long[] {0, 0, 0, 1, 2, 0, 1, 2, 3, 4}, new Shape(2, 5));
      NDArray mask = m.create(new long[] {0, 0, 1, 1, 1, 1, 1, 1, 1, 1}, new Shape(2, 5));
      List<NDArray> empty = model.emptyPast(m, 2);
      GptModel.StepOutput out = model.step(ps, ids, pos, mask, empty, empty, false);
      assertArrayEquals(alone.get(0).toFloatArray(), out.logits().get("0, 2:5").toFloatArray(),
          1e-5f);
    }
  }

  @Test
  void badInputsGiveClearErrors() {
    try (NDManager m = NDManager.newBaseManager()) {
      GptModel model = tinyModel(m, 4);
      ParameterStore ps = new ParameterStore(m, false);
      ShapeMismatchException tooLong = assertThrows(ShapeMismatchException.class,
          () -> model.logits(ps, m.zeros(new Shape(1, 13), ai.djl.ndarray.types.DataType.INT64),
              false));
      assertTrue(tooLong.getMessage().contains("context"), tooLong.getMessage());
      ShapeMismatchException layers = assertThrows(ShapeMismatchException.class,
          () -> model.step(ps, m.zeros(new Shape(1, 1), ai.djl.ndarray.types.DataType.INT64),
              m.zeros(new Shape(1, 1), ai.djl.ndarray.types.DataType.INT64),
              m.ones(new Shape(1, 1), ai.djl.ndarray.types.DataType.INT64),
              model.emptyPast(m, 1).subList(0, 1), model.emptyPast(m, 1), false));
      assertTrue(layers.getMessage().contains("2 layers"), layers.getMessage());
    }
  }
}
