package io.distillery.runtime.classify;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class LogitsTest {
  @Test
  void argmaxTakesTheFirstOfTies() {
    assertEquals(1, Logits.argmax(new float[] {0f, 3f, 3f, -1f}));
    assertThrows(IllegalArgumentException.class, () -> Logits.argmax(new float[0]));
  }

  @Test
  void softmaxIsStableAndTempered() {
    assertArrayEquals(new float[] {0.5f, 0.5f}, Logits.softmax(new float[] {1000f, 1000f}), 1e-7f);
    float[] p = Logits.softmax(new float[] {0f, (float) Math.log(3)});
    assertArrayEquals(new float[] {0.25f, 0.75f}, p, 1e-6f);
    float[] hot = Logits.softmax(new float[] {0f, (float) Math.log(3)}, 2.0);
    assertEquals(1 / (1 + Math.sqrt(3)), hot[0], 1e-6);
    assertThrows(IllegalArgumentException.class, () -> Logits.softmax(new float[] {1f}, 0));
  }
}
