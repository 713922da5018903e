package io.distillery.train.loss;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import io.distillery.core.ConfigException;
import io.distillery.core.ShapeMismatchException;
import java.util.Optional;
import io.distillery.train.gpt.TorchThreads;
import org.junit.jupiter.api.Test;

/** Expected values computed by hand (Python's math module, double precision). */
class KdLossTest {
  static {
    // one intra-op thread: tiny models gain nothing from more, and OpenMP spinning on a
    // busy 2-core machine slows them tenfold (only acts if the engine is not started yet)
    TorchThreads.configure(1, 1);
  }
  private static final float[] STUDENT = {1, 2, 0, 0.5f, -1, 3};
  private static final float[] TEACHER = {2, 0, 1, 0, 0.5f, -2}; // argmax 0 and 1

  private static NDManager manager() {
    return NDManager.newBaseManager(Device.cpu(), "PyTorch");
  }

  @Test
  void klIsScaledByTemperatureSquaredAndAveragedOverTheBatch() {
    try (NDManager m = manager()) {
      NDArray s = m.create(STUDENT, new Shape(2, 3));
      NDArray t = m.create(TEACHER, new Shape(2, 3));
      assertEquals(1.6336634929773957, KdLoss.kl(1, 0).softLoss(s, t).getFloat(), 1e-5);
      assertEquals(2.0385036503941714, KdLoss.kl(2, 0).softLoss(s, t).getFloat(), 1e-5);
      assertEquals(2.2216049335955046, KdLoss.kl(4, 0).softLoss(s, t).getFloat(), 1e-5);
      assertEquals(0, KdLoss.kl(2, 0).softLoss(t, t).getFloat(), 1e-6);
    }
  }

  @Test
  void hardLabelsComeFromTheTeacherOrAreGiven() {
    try (NDManager m = manager()) {
      NDArray s = m.create(STUDENT, new Shape(2, 3));
      NDArray t = m.create(TEACHER, new Shape(2, 3));
      KdLoss argmax = KdLoss.kl(2, 0.25);
      KdLoss.Terms terms = argmax.evaluate(s, t, null);
      assertEquals(2.7516401469293816, terms.hard().getFloat(), 1e-5);
      assertEquals(0.75 * 2.0385036503941714 + 0.25 * 2.7516401469293816,
          terms.total().getFloat(), 1e-5);
      KdLoss given = new KdLoss(SoftLoss.KL_DIVERGENCE, 2, 1, HardLabels.GIVEN, 0);
      KdLoss.Terms g = given.evaluate(s, t, m.create(new long[] {2, 2}));
      assertEquals(1.2516401469293812, g.total().getFloat(), 1e-5); // alpha 1: CE only
      assertThrows(ConfigException.class, () -> given.evaluate(s, t, null));
      assertThrows(ShapeMismatchException.class,
          () -> given.evaluate(s, t, m.create(new long[] {2, 2, 2})));
    }
  }

  @Test
  void logitMseIgnoresTheTemperature() {
    try (NDManager m = manager()) {
      NDArray s = m.create(STUDENT, new Shape(2, 3));
      NDArray t = m.create(TEACHER, new Shape(2, 3));
      KdLoss mse = new KdLoss(SoftLoss.LOGIT_MSE, 7, 0, HardLabels.TEACHER_ARGMAX, 0);
      assertEquals(5.583333333333333, mse.evaluate(s, t, null).total().getFloat(), 1e-5);
    }
  }

  @Test
  void hiddenStateTermNeedsMatchingWidthsOrAProjection() {
    try (NDManager m = manager()) {
      NDArray s = m.create(STUDENT, new Shape(2, 3));
      NDArray t = m.create(TEACHER, new Shape(2, 3));
      NDArray hs = m.create(new float[] {1, 2, 3, 4}, new Shape(2, 2));
      NDArray ht = m.create(new float[] {1, 0, 0, 3, 4, 0}, new Shape(2, 3));
      assertTrue(KdLoss.hidden(hs, ht, null).isEmpty(), "widths 2 vs 3 without projection: no-op");
      NDArray proj = m.create(new float[] {1, 0, 0, 0, 1, 0}, new Shape(2, 3)); // pads a zero
      // projected student [[1,2,0],[3,4,0]] vs teacher: squared diffs 0,4,0,0,0,0 -> 4/6
      Optional<NDArray> mse = KdLoss.hidden(hs, ht, proj);
      assertEquals(4.0 / 6, mse.orElseThrow().getFloat(), 1e-6);
      KdLoss withHidden = new KdLoss(SoftLoss.KL_DIVERGENCE, 2, 0, HardLabels.TEACHER_ARGMAX, 3);
      KdLoss.Terms terms = withHidden.evaluate(s, t, null, hs, ht, proj);
      assertEquals(2.0385036503941714 + 3 * 4.0 / 6, terms.total().getFloat(), 1e-5);
      assertEquals(2.0385036503941714,
          withHidden.evaluate(s, t, null, hs, ht, null).total().getFloat(), 1e-5);
      assertThrows(ShapeMismatchException.class,
          () -> KdLoss.hidden(hs, ht, m.create(new float[] {1, 0}, new Shape(2, 1))));
    }
  }

  @Test
  void settingsAreValidated() {
    assertThrows(ConfigException.class, () -> KdLoss.kl(0, 0));
    assertThrows(ConfigException.class, () -> KdLoss.kl(2, 1.5));
    assertThrows(ConfigException.class,
        () -> new KdLoss(SoftLoss.KL_DIVERGENCE, 2, 0, HardLabels.GIVEN, -1));
    assertThrows(ConfigException.class, () -> new KdLoss(null, 2, 0, HardLabels.GIVEN, 0));
    try (NDManager m = manager()) {
      assertThrows(ShapeMismatchException.class, () -> KdLoss.defaults().softLoss(
          m.create(new float[] {1, 2}, new Shape(1, 2)), m.create(new float[] {1, 2, 3}, new Shape(1, 3))));
    }
  }
}
