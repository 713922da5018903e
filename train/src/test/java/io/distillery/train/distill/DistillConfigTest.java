package io.distillery.train.distill;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.distillery.core.ConfigException;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class DistillConfigTest {
  @Test
  void warmUpThenLinearOrCosineDecay() {
    DistillConfig c = DistillConfig.defaults().withOptimizer(32, 1e-3, 0.01, 0.1, LrDecay.LINEAR, 1);
    assertEquals(10, c.warmupSteps(100));
    assertEquals(1e-4, c.learningRateAt(0, 100), 1e-12);
    assertEquals(1e-3, c.learningRateAt(9, 100), 1e-12);
    assertEquals(1e-3, c.learningRateAt(10, 100), 1e-12);
    assertEquals(0.5e-3, c.learningRateAt(55, 100), 1e-12);
    assertEquals(1e-3 / 90, c.learningRateAt(99, 100), 1e-12);
    DistillConfig cos = c.withOptimizer(32, 1e-3, 0.01, 0.1, LrDecay.COSINE, 1);
    assertEquals(0.5e-3, cos.learningRateAt(55, 100), 1e-12);
    assertEquals(1e-3 * 0.5 * (1 + Math.cos(Math.PI * 22 / 90)), cos.learningRateAt(32, 100), 1e-12);
    assertEquals(1e-3, c.withOptimizer(32, 1e-3, 0, 0, LrDecay.CONSTANT, 0).learningRateAt(80, 100));
  }

  @Test
  void lengthIsEpochsOrSteps() {
    assertEquals(10 * 66, DistillConfig.defaults().totalSteps(2088));
    assertEquals(66, DistillConfig.defaults().stepsPerEpoch(2088));
    assertEquals(500, DistillConfig.defaults().withSteps(500).totalSteps(2088));
    assertThrows(ConfigException.class, () -> DistillConfig.defaults().withEpochs(0));
    ConfigException e = assertThrows(ConfigException.class,
        () -> DistillConfig.defaults().withOptimizer(0, 1e-3, 0, 0, LrDecay.LINEAR, 0));
    assertTrue(e.getMessage().contains("batchSize"), e.getMessage());
    assertThrows(ConfigException.class,
        () -> DistillConfig.defaults().withOptimizer(8, 1e-3, 0, 1.0, LrDecay.LINEAR, 0));
    assertThrows(ConfigException.class, () -> DistillConfig.defaults().withPatience(-1));
    assertThrows(ConfigException.class, () -> DistillConfig.defaults().withCheckpointEvery(0));
  }

  @Test
  void epochPlansArePermutationsFixedBySeedAndEpoch() {
    int[] lengths = new int[203];
    for (int i = 0; i < lengths.length; i++) {
      lengths[i] = 3 + (i * 37) % 29;
    }
    List<int[]> a = EpochPlan.batches(lengths, 16, 42, 0);
    List<int[]> again = EpochPlan.batches(lengths, 16, 42, 0);
    List<int[]> next = EpochPlan.batches(lengths, 16, 42, 1);
    assertEquals(13, a.size());
    Set<Integer> seen = new HashSet<>();
    int padded = 0;
    int real = 0;
    for (int k = 0; k < a.size(); k++) {
      assertTrue(Arrays.equals(a.get(k), again.get(k)), "same seed and epoch, same batches");
      int longest = 0;
      for (int row : a.get(k)) {
        assertTrue(seen.add(row), "row " + row + " twice");
        longest = Math.max(longest, lengths[row]);
        real += lengths[row];
      }
      padded += longest * a.get(k).length;
    }
    assertEquals(203, seen.size());
    assertNotEquals(Arrays.toString(a.get(0)), Arrays.toString(next.get(0)));
    assertTrue(padded < real * 1.15, "length bucketing keeps padding low: " + padded + " vs " + real);
  }
}
