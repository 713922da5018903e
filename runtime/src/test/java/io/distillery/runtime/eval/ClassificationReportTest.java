package io.distillery.runtime.eval;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.junit.jupiter.api.Test;

class ClassificationReportTest {
  @Test
  void scoresAKnownConfusionMatrix() {
    // gold:      0 0 0 1 1 1 1 2
    // predicted: 0 0 1 1 1 2 1 2
    int[] gold = {0, 0, 0, 1, 1, 1, 1, 2};
    int[] pred = {0, 0, 1, 1, 1, 2, 1, 2};
    ClassificationReport r = ClassificationReport.of(List.of("a", "b", "c"), gold, pred);
    assertEquals(6.0 / 8, r.accuracy(), 1e-12);
    assertArrayEquals(new long[] {2, 1, 0}, r.confusion()[0]);
    assertArrayEquals(new long[] {0, 3, 1}, r.confusion()[1]);
    assertArrayEquals(new long[] {0, 0, 1}, r.confusion()[2]);
    // a: P=1 R=2/3 F1=0.8; b: P=3/4 R=3/4 F1=0.75; c: P=1/2 R=1 F1=2/3
    assertEquals((0.8 + 0.75 + 2.0 / 3) / 3, r.macroF1(), 1e-12);
    assertEquals(4, r.perLabel()[1].support());
    assertEquals(8, r.examples());
  }

  @Test
  void argmaxAndAgreement() {
    int[] a = ClassificationReport.argmax(new float[][] {{0.1f, 2f}, {3f, -1f}, {0f, 0f}});
    assertArrayEquals(new int[] {1, 0, 0}, a);
    assertEquals(2.0 / 3, ClassificationReport.agreement(a, new int[] {1, 1, 0}), 1e-12);
  }

  @Test
  void rejectsOutOfRangeIdsAndMismatchedLengths() {
    assertThrows(
        IllegalArgumentException.class,
        () -> ClassificationReport.of(List.of("a", "b"), new int[] {0, 2}, new int[] {0, 1}));
    assertThrows(
        IllegalArgumentException.class,
        () -> ClassificationReport.of(List.of("a", "b"), new int[] {0}, new int[] {0, 1}));
  }
}
