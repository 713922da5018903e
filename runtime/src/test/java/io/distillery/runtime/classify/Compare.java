package io.distillery.runtime.classify;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

/** Float matrix comparisons for tests. */
final class Compare {
  private Compare() {}

  static void assertClose(float[][] expected, float[][] actual, double tolerance) {
    assertEquals(expected.length, actual.length, "rows");
    for (int i = 0; i < expected.length; i++) {
      assertEquals(expected[i].length, actual[i].length, "columns of row " + i);
      for (int j = 0; j < expected[i].length; j++) {
        if (Math.abs(expected[i][j] - actual[i][j]) > tolerance) {
          fail("[" + i + "][" + j + "]: expected " + expected[i][j] + " but was " + actual[i][j]
              + " (tolerance " + tolerance + ")");
        }
      }
    }
  }

  static double cosine(float[] a, float[] b) {
    double dot = 0;
    double na = 0;
    double nb = 0;
    for (int i = 0; i < a.length; i++) {
      dot += a[i] * b[i];
      na += a[i] * a[i];
      nb += b[i] * b[i];
    }
    return dot / Math.sqrt(na * nb);
  }
}
