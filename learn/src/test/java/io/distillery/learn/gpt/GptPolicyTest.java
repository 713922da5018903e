package io.distillery.learn.gpt;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.distillery.export.gpt.WeightTensor;
import io.distillery.runtime.testing.TinyLmFolder;
import io.distillery.train.gpt.GptConfig;
import io.distillery.train.gpt.TorchThreads;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class GptPolicyTest {
  static final GptConfig TINY = new GptConfig(2, 32, 4, 48, 257);

  @BeforeAll
  static void oneThread() {
    TorchThreads.configure(1, 1);
  }

  static GptPolicy policy(GptPolicySettings s) {
    return new GptPolicy(TINY, TinyLmFolder.weights(5), TinyLmFolder.EOS, s);
  }

  static List<int[]> prefixes() {
    return List.of(new int[] {65, 32, 98}, new int[] {72, 105}, new int[] {10, 11, 12, 13, 14});
  }

  @Test
  void cachedSamplingLogProbsEqualTheFullForwardAndAreSeeded() {
    try (GptPolicy p = policy(GptPolicySettings.defaults())) {
      GptPolicy.Samples a = p.sample(prefixes(), 6, new SplittableRandom(3));
      GptPolicy.Samples b = p.sample(prefixes(), 6, new SplittableRandom(3));
      assertEquals(3, a.tokens().length);
      for (int i = 0; i < 3; i++) {
        assertArrayEquals(a.tokens()[i], b.tokens()[i]);
        assertTrue(a.tokens()[i].length >= 1 && a.tokens()[i].length <= 6);
      }
      List<int[]> toks = List.of(a.tokens());
      float[][] full = p.tokenLogProbs(prefixes(), toks);
      for (int i = 0; i < 3; i++) {
        assertArrayEquals(full[i], a.logProbs()[i], 1e-4f, "row " + i);
      }
    }
  }

  @Test
  void reinforceMovesProbabilityTowardTheRewardedTokenAndKlGrows() {
    GptPolicySettings s = new GptPolicySettings(3e-3, 0.0, 0.0, 1.0, 0.0, 1.0, 0);
    try (GptPolicy p = policy(s)) {
      List<int[]> pre = new ArrayList<>();
      for (int i = 0; i < 8; i++) {
        pre.add(new int[] {65, 32, 98});
      }
      // the rewarded token: the 5th most likely first token, so it starts out rare
      int target = rankedFirstToken(p, 4);
      double before = Math.exp(p.tokenLogProbs(List.of(pre.get(0)), List.of(new int[] {target}))[0][0]);
      SplittableRandom rng = new SplittableRandom(11);
      double kl = 0;
      for (int step = 0; step < 15; step++) {
        GptPolicy.Samples smp = p.sample(pre, 1, rng);
        List<int[]> toks = new ArrayList<>();
        double[] adv = new double[pre.size()];
        for (int i = 0; i < pre.size(); i++) {
          toks.add(smp.tokens()[i]);
          adv[i] = smp.tokens()[i][0] == target ? 1.0 : -0.1;
        }
        // the rewarded action is credited even when no row drew it
        toks.set(0, new int[] {target});
        adv[0] = 1.0;
        kl = p.update(pre, toks, adv).klToStart();
      }
      double after = Math.exp(p.tokenLogProbs(List.of(pre.get(0)), List.of(new int[] {target}))[0][0]);
      assertTrue(after > before * 2, "p(target) " + before + " -> " + after);
      assertTrue(kl > 0, "KL to start after updates: " + kl);
      assertEquals(15, p.updates());
    }
  }

  @Test
  void saveThenLoadRestoresWeightsOptimiserAndStep(@TempDir Path dir) {
    GptPolicySettings s = new GptPolicySettings(1e-3, 0.05, 0.01, 1.0, 0.0, 1.0, 20);
    double[] adv = {1.0, -0.5, 0.25};
    try (GptPolicy straight = policy(s); GptPolicy resumed = policy(s)) {
      for (int step = 0; step < 2; step++) {
        GptPolicy.Samples smp = straight.sample(prefixes(), 4, new SplittableRandom(step));
        straight.update(prefixes(), List.of(smp.tokens()), adv);
        resumed.update(prefixes(), List.of(smp.tokens()), adv);
      }
      resumed.save(dir);
      try (GptPolicy loaded = policy(s)) {
        loaded.load(dir);
        assertEquals(2, loaded.updates());
        GptPolicy.Samples smp = straight.sample(prefixes(), 4, new SplittableRandom(9));
        straight.update(prefixes(), List.of(smp.tokens()), adv);
        loaded.update(prefixes(), List.of(smp.tokens()), adv);
        Map<String, WeightTensor> a = straight.weights();
        Map<String, WeightTensor> b = loaded.weights();
        for (String name : a.keySet()) {
          assertArrayEquals(a.get(name).values(), b.get(name).values(), 0f, name);
        }
        assertNotEquals(TinyLmFolder.weights(5).get("transformer.wte.weight").values()[0],
            b.get("transformer.wte.weight").values()[0]);
      }
    }
  }

  private static int rankedFirstToken(GptPolicy p, int rank) {
    int v = TINY.vocab();
    List<int[]> pre = new ArrayList<>();
    List<int[]> toks = new ArrayList<>();
    for (int t = 0; t < v; t++) {
      pre.add(new int[] {65, 32, 98});
      toks.add(new int[] {t});
    }
    float[][] lp = p.tokenLogProbs(pre, toks);
    Integer[] order = new Integer[v];
    for (int t = 0; t < v; t++) {
      order[t] = t;
    }
    java.util.Arrays.sort(order, (x, y) -> Float.compare(lp[y][0], lp[x][0]));
    return order[rank];
  }
}
