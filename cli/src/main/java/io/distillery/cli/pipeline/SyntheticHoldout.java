package io.distillery.cli.pipeline;

import io.distillery.core.ConfigException;
import io.distillery.runtime.classify.Logits;
import io.distillery.train.distill.DistillExample;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.SplittableRandom;

/**
 * The data-free stand-in for a dev set: a seeded share of the synthetic corpus is held out and
 * labelled with the teacher's argmax, so model selection and early stopping measure agreement
 * with the teacher on unseen synthetic text and no real task text is read.
 *
 * @param train the rest of the corpus
 * @param heldOut the held-out examples with gold = teacher argmax, empty for a share of 0
 */
record SyntheticHoldout(List<DistillExample> train, Optional<List<DistillExample>> heldOut) {
  /** Holds out {@code round(share * n)} examples chosen by a permutation seeded with {@code seed}. */
  static SyntheticHoldout split(List<DistillExample> corpus, double share, long seed) {
    if (!(share >= 0 && share < 1)) {
      throw new ConfigException("distill.holdout must be in [0, 1), got " + share);
    }
    int n = corpus.size();
    int held = (int) Math.round(share * n);
    if (held == 0) {
      return new SyntheticHoldout(corpus, Optional.empty());
    }
    if (held >= n) {
      throw new ConfigException("distill.holdout " + share + " leaves no training examples of " + n);
    }
    boolean[] out = new boolean[n];
    int[] order = new int[n];
    for (int i = 0; i < n; i++) {
      order[i] = i;
    }
    SplittableRandom rng = new SplittableRandom(seed ^ 0x5DEECE66DL);
    for (int i = n - 1; i > 0; i--) {
      int j = rng.nextInt(i + 1);
      int t = order[i];
      order[i] = order[j];
      order[j] = t;
    }
    for (int i = 0; i < held; i++) {
      out[order[i]] = true;
    }
    List<DistillExample> train = new ArrayList<>(n - held);
    List<DistillExample> dev = new ArrayList<>(held);
    for (int i = 0; i < n; i++) {
      DistillExample e = corpus.get(i);
      if (out[i]) {
        dev.add(DistillExample.ofGold(e.text(), Logits.argmax(e.teacherLogits())));
      } else {
        train.add(e);
      }
    }
    return new SyntheticHoldout(train, Optional.of(dev));
  }

  String describe() {
    return heldOut.map(d -> String.format(Locale.ROOT, "%d synthetic samples held out (teacher"
        + " labels) for selection, %d to train", d.size(), train.size()))
        .orElse("no selection set; the last epoch's student is kept");
  }
}
