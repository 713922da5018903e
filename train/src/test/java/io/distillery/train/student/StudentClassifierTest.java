package io.distillery.train.student;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import io.distillery.core.ConfigException;
import io.distillery.core.ShapeMismatchException;
import io.distillery.export.student.StudentWeights;
import io.distillery.train.gpt.TorchThreads;
import org.junit.jupiter.api.Test;

class StudentClassifierTest {
  static {
    // one intra-op thread: tiny models gain nothing from more, and OpenMP spinning on a
    // busy 2-core machine slows them tenfold (only acts if the engine is not started yet)
    TorchThreads.configure(1, 1);
  }
  static final StudentConfig TINY = new StudentConfig(2, 16, 4, 32, 12, 40, 3, 8, 0.1);

  static NDManager manager() {
    return NDManager.newBaseManager(Device.cpu(), "PyTorch");
  }

  static StudentClassifier tiny(NDManager m, StudentConfig config, int seed) {
    Engine.getEngine("PyTorch").setRandomSeed(seed);
    StudentClassifier model = new StudentClassifier(config);
    model.initialize(m);
    return model;
  }

  /** Rows padded with 0 to the longest; mask 1 over each row's tokens. */
  static NDArray[] batch(NDManager m, long[][] rows) {
    int t = 0;
    for (long[] r : rows) {
      t = Math.max(t, r.length);
    }
    long[] ids = new long[rows.length * t];
    long[] mask = new long[rows.length * t];
    for (int b = 0; b < rows.length; b++) {
      for (int i = 0; i < rows[b].length; i++) {
        ids[b * t + i] = rows[b][i];
        mask[b * t + i] = 1;
      }
    }
    return new NDArray[] {m.create(ids, new Shape(rows.length, t)),
        m.create(mask, new Shape(rows.length, t))};
  }

  @Test
  void configIsValidatedAndCountsItsParameters() {
    assertThrows(ConfigException.class, () -> new StudentConfig(2, 16, 4, 32, 12, 40, 3, 16, 0.1));
    assertThrows(ConfigException.class, () -> new StudentConfig(2, 16, 4, 32, 12, 40, 3, 0, 1.0));
    assertThrows(ConfigException.class, () -> new StudentConfig(2, 18, 4, 32, 12, 40, 3, 0, 0));
    StudentConfig d = StudentConfig.defaults(30522, 2);
    assertTrue(d.parameterCount() * 4 < 90_433_264 / 5, "default student must be 5x smaller"
        + " than the 90 MB teacher, has " + d.parameterCount() + " parameters");
    try (NDManager m = manager()) {
      long actual = tiny(m, TINY, 0).namedParameters().values().stream()
          .mapToLong(p -> p.getArray().size()).sum();
      assertEquals(TINY.parameterCount(), actual);
    }
  }

  @Test
  void logitsAreBatchByLabelsAndPaddingDoesNotChangeThem() {
    try (NDManager m = manager()) {
      StudentClassifier model = tiny(m, TINY, 1);
      ParameterStore ps = new ParameterStore(m, false);
      long[] row = {2, 9, 17, 5, 3};
      NDArray[] alone = batch(m, new long[][] {row});
      NDArray[] padded = batch(m, new long[][] {{2, 30, 3}, row, {2, 3, 4, 5, 6, 7, 8, 3}});
      NDArray a = model.logits(ps, alone[0], alone[1], false);
      NDArray p = model.logits(ps, padded[0], padded[1], false);
      assertEquals(new Shape(1, 3), a.getShape());
      assertEquals(new Shape(3, 3), p.getShape());
      assertArrayEquals(a.toFloatArray(), p.get(1).toFloatArray(), 1e-5f);
      assertTrue(p.get(0).sub(p.get(1)).abs().max().getFloat() > 1e-4, "rows must differ");
      StudentClassifier.Output out = model.apply(ps, padded[0], padded[1], false);
      assertEquals(new Shape(3, 16), out.pooled().getShape());
    }
  }

  @Test
  void dropoutActsOnlyInTraining() {
    try (NDManager m = manager()) {
      StudentClassifier model = tiny(m, TINY, 2);
      ParameterStore ps = new ParameterStore(m, false);
      NDArray[] b = batch(m, new long[][] {{2, 9, 17, 5, 3}});
      float[] e1 = model.logits(ps, b[0], b[1], false).toFloatArray();
      float[] e2 = model.logits(ps, b[0], b[1], false).toFloatArray();
      assertArrayEquals(e1, e2, 0f);
      float[] t1 = model.logits(ps, b[0], b[1], true).toFloatArray();
      float[] t2 = model.logits(ps, b[0], b[1], true).toFloatArray();
      float diff = 0;
      for (int i = 0; i < t1.length; i++) {
        diff += Math.abs(t1[i] - t2[i]);
      }
      assertTrue(diff > 0, "two training passes should draw different dropout masks");
    }
  }

  @Test
  void weightsRoundTripIntoAnotherModel() {
    try (NDManager m = manager()) {
      StudentClassifier a = tiny(m, TINY, 3);
      StudentClassifier b = tiny(m, TINY, 4);
      ParameterStore ps = new ParameterStore(m, false);
      NDArray[] x = batch(m, new long[][] {{2, 9, 17, 5, 3}, {2, 3}});
      float[] before = b.logits(ps, x[0], x[1], false).toFloatArray();
      StudentWeights w = a.weights();
      b.load(w);
      float[] after = b.logits(ps, x[0], x[1], false).toFloatArray();
      assertArrayEquals(a.logits(ps, x[0], x[1], false).toFloatArray(), after, 0f);
      assertTrue(Math.abs(before[0] - after[0]) > 1e-6, "loading must change the model");
      StudentClassifier other = tiny(m, new StudentConfig(1, 16, 4, 32, 12, 40, 3, 8, 0.1), 5);
      assertThrows(ShapeMismatchException.class, () -> other.load(w));
    }
  }

  @Test
  void sequencesLongerThanMaxLengthAreRejected() {
    try (NDManager m = manager()) {
      StudentClassifier model = tiny(m, TINY, 6);
      ParameterStore ps = new ParameterStore(m, false);
      NDArray[] x = batch(m, new long[][] {new long[13]});
      ShapeMismatchException e = assertThrows(ShapeMismatchException.class,
          () -> model.logits(ps, x[0], x[1], false));
      assertTrue(e.getMessage().contains("[1, 12]"), e.getMessage());
    }
  }
}
