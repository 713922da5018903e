package io.distillery.train.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import io.distillery.train.gpt.TorchThreads;
import java.nio.ByteBuffer;
import java.util.function.BiFunction;
import org.junit.jupiter.api.Test;

/** Backward through a scalar product must see the scalar, however the garbage collector runs. */
class GraphScalarTest {
  static {
    TorchThreads.configure(1, 1);
  }

  /** d(sum(x * c))/dx after churning direct buffers and collecting garbage between the passes. */
  static float gradientAfterGc(BiFunction<NDArray, Float, NDArray> times, float c) {
    try (NDManager m = NDManager.newBaseManager(ai.djl.Device.cpu(), "PyTorch")) {
      NDArray x = m.ones(new Shape(4));
      x.setRequiresGradient(true);
      try (GradientCollector gc = Engine.getEngine("PyTorch").newGradientCollector()) {
        NDArray y = times.apply(x, c).sum();
        for (int round = 0; round < 20; round++) {
          for (int k = 0; k < 2000; k++) {
            ByteBuffer junk = ByteBuffer.allocateDirect(4);
            junk.putFloat(0, Float.NaN);
          }
          System.gc();
        }
        gc.backward(y);
      }
      return x.getGradient().toFloatArray()[0];
    }
  }

  @Test
  void theGraphKeepsTheScalarAlive() {
    for (int i = 0; i < 3; i++) {
      assertEquals(0.125f, gradientAfterGc((x, c) -> x.mul(GraphScalar.of(x, c)), 0.125f));
    }
  }
}
