package io.distillery.runtime.generate;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class TokenSamplerTest {
  static final float[] LOGITS = {0.5f, 3f, -1f, 3f, 2f, 0f, 0f, 1.5f};

  @Test
  void topKAndSortAgreeAndBreakTiesByLowerId() {
    assertArrayEquals(new int[] {1, 3, 4, 7, 0, 5, 6, 2}, TokenSampler.sortedIds(LOGITS, 0, 8));
    assertArrayEquals(new int[] {1, 3, 4}, TokenSampler.topK(LOGITS, 0, 8, 3));
    assertArrayEquals(new int[] {1, 2}, TokenSampler.topK(new float[] {9, 9, 1, 7, 5}, 2, 3, 2));
  }

  @Test
  void samplingStaysInsideTopKAndTopP() {
    GenerationConfig k2 = new GenerationConfig(4, 1.0, 2, 1.0, List.of(), 1, true,
        CacheMode.AUTO);
    GenerationConfig p = new GenerationConfig(4, 1.0, 0, 0.5, List.of(), 1, true, CacheMode.AUTO);
    SplittableRandom rng = new SplittableRandom(3);
    int[] counts = new int[8];
    for (int i = 0; i < 2000; i++) {
      counts[new TokenSampler(k2).pick(LOGITS, 0, 8, rng)]++;
      int id = new TokenSampler(p).pick(LOGITS, 0, 8, rng);
      assertTrue(id == 1 || id == 3, "top-p 0.5 keeps the two tied best, got " + id);
    }
    assertEquals(2000, counts[1] + counts[3]);
    assertTrue(counts[1] > 800 && counts[3] > 800);
  }

  @Test
  void logProbIsLogSoftmax() {
    double z = 0;
    for (float l : LOGITS) {
      z += Math.exp(l);
    }
    assertEquals(Math.log(Math.exp(2f) / z), TokenSampler.logProb(LOGITS, 0, 8, 4), 1e-6);
  }

  @Test
  void fastExpIsWithinFloatPrecisionOfMathExp() {
    double worst = 0;
    for (int k = 0; k <= 870_000; k++) {
      float x = -k / 10_000f;
      double want = Math.exp(x); // of the same float x
      worst = Math.max(worst, Math.abs(TokenSampler.exp(x) - want) / want);
    }
    assertTrue(worst < 5e-7, "worst relative error " + worst);
  }

  @Test
  void logProbOverAVocabularyMatchesTheDoubleComputation() {
    java.util.SplittableRandom rng = new java.util.SplittableRandom(7);
    float[] logits = new float[8192];
    for (int i = 0; i < logits.length; i++) {
      logits[i] = (float) (rng.nextGaussian() * 4);
    }
    logits[17] = 40f; // one dominant token, many terms far below it
    double max = 40;
    double z = 0;
    for (float l : logits) {
      z += Math.exp(l - max);
    }
    for (int id : new int[] {17, 0, 4096, 8191}) {
      assertEquals(logits[id] - max - Math.log(z), TokenSampler.logProb(logits, 0, 8192, id), 1e-5);
    }
  }
}
