package io.distillery.models.data;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Random;

/**
 * A seeded, stratified 70/10/20 train/dev/test split. Deterministic on every JVM: examples are
 * sorted by id, grouped by label, and each group is shuffled by a Fisher–Yates pass driven by
 * {@link java.util.Random}, whose sequence the Java specification fixes for a given seed. Per
 * label, test gets {@code round(0.2 n)}, dev {@code round(0.1 n)} and train the rest, so every
 * split is within one example per label of its exact share. Each split is returned sorted by id.
 */
public record Splits(List<LabelledText> train, List<LabelledText> dev, List<LabelledText> test) {
  /** Percent of each label's examples that go to test. */
  public static final int TEST_PERCENT = 20;

  /** Percent of each label's examples that go to dev. */
  public static final int DEV_PERCENT = 10;

  public Splits {
    train = List.copyOf(train);
    dev = List.copyOf(dev);
    test = List.copyOf(test);
  }

  public List<LabelledText> get(Split which) {
    return switch (which) {
      case TRAIN -> train;
      case DEV -> dev;
      case TEST -> test;
    };
  }

  /** Splits {@code examples} (labels in {@code [0, numLabels)}, unique ids) with {@code seed}. */
  public static Splits stratified(List<LabelledText> examples, int numLabels, long seed) {
    List<List<LabelledText>> byLabel = new ArrayList<>();
    for (int l = 0; l < numLabels; l++) {
      byLabel.add(new ArrayList<>());
    }
    List<LabelledText> sorted = new ArrayList<>(examples);
    sorted.sort(Comparator.comparing(LabelledText::id));
    for (int i = 0; i < sorted.size(); i++) {
      LabelledText e = sorted.get(i);
      if (i > 0 && sorted.get(i - 1).id().equals(e.id())) {
        throw new IllegalArgumentException("duplicate example id " + e.id());
      }
      if (e.label() >= numLabels) {
        throw new IllegalArgumentException(
            e.id() + ": label " + e.label() + " outside [0, " + numLabels + ")");
      }
      byLabel.get(e.label()).add(e);
    }
    Random random = new Random(seed);
    List<LabelledText> train = new ArrayList<>();
    List<LabelledText> dev = new ArrayList<>();
    List<LabelledText> test = new ArrayList<>();
    for (List<LabelledText> group : byLabel) {
      for (int i = group.size() - 1; i > 0; i--) {
        int j = random.nextInt(i + 1);
        LabelledText tmp = group.get(i);
        group.set(i, group.get(j));
        group.set(j, tmp);
      }
      int n = group.size();
      int nTest = share(n, TEST_PERCENT);
      int nDev = share(n, DEV_PERCENT);
      test.addAll(group.subList(0, nTest));
      dev.addAll(group.subList(nTest, nTest + nDev));
      train.addAll(group.subList(nTest + nDev, n));
    }
    Comparator<LabelledText> byId = Comparator.comparing(LabelledText::id);
    train.sort(byId);
    dev.sort(byId);
    test.sort(byId);
    return new Splits(train, dev, test);
  }

  /** {@code round(n * percent / 100)}, halves rounded up, in integer arithmetic. */
  static int share(int n, int percent) {
    return (n * percent + 50) / 100;
  }
}
