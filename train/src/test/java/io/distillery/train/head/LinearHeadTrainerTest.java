package io.distillery.train.head;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.distillery.core.ConfigException;
import io.distillery.core.ShapeMismatchException;
import java.util.Random;
import org.junit.jupiter.api.Test;

class LinearHeadTrainerTest {
  /** Labelled points: x {@code [N, H]}, y {@code [N]}. */
  private record Data(float[][] x, int[] y) {}

  /**
   * Three classes in 6-D: centres on the first three axes, 3 apart, with a small offset on
   * constant-ish extra features, so the classes are linearly separable with a wide margin.
   */
  private static Data separable(int n, long seed) {
    Random r = new Random(seed);
    float[][] x = new float[n][6];
    int[] y = new int[n];
    for (int i = 0; i < n; i++) {
      y[i] = i % 3;
      for (int j = 0; j < 6; j++) {
        x[i][j] = (float) (r.nextDouble() - 0.5) + (j == y[i] ? 3f : 0f) + (j >= 3 ? 10f : 0f);
      }
    }
    return new Data(x, y);
  }

  /**
   * Two classes, x ~ N(±mu e1, I) in 8-D with equal priors: the Bayes classifier is sign(x1) and
   * its accuracy Phi(mu) (0.8413 for mu = 1).
   */
  private static Data gaussians(int n, double mu, long seed) {
    Random r = new Random(seed);
    float[][] x = new float[n][8];
    int[] y = new int[n];
    for (int i = 0; i < n; i++) {
      y[i] = r.nextBoolean() ? 1 : 0;
      for (int j = 0; j < 8; j++) {
        x[i][j] = (float) (r.nextGaussian() + (j == 0 ? (y[i] == 1 ? mu : -mu) : 0.0));
      }
    }
    return new Data(x, y);
  }

  private static final HeadTrainingConfig FAST =
      new HeadTrainingConfig(30, 0.05f, 0.0f, 32, 7L, true);

  @Test
  void learnsASeparableProblemPerfectly() {
    Data train = separable(300, 1);
    Data dev = separable(90, 2);
    LinearHead head = LinearHeadTrainer.train(train.x(), train.y(), dev.x(), dev.y(), 3, FAST);
    assertEquals(6, head.inputSize());
    assertEquals(3, head.numLabels());
    assertEquals(1.0, head.trainAccuracy());
    assertEquals(1.0, head.devAccuracy());
    assertEquals(1.0, head.accuracy(train.x(), train.y()), "plain-Java head on raw features");
    Data fresh = separable(300, 3);
    assertEquals(1.0, head.accuracy(fresh.x(), fresh.y()));
  }

  @Test
  void reachesTheBayesRateOnOverlappingGaussians() {
    Data train = gaussians(3000, 1.0, 11);
    Data dev = gaussians(600, 1.0, 12);
    LinearHead head =
        LinearHeadTrainer.train(
            train.x(),
            train.y(),
            dev.x(),
            dev.y(),
            2,
            FAST.withEpochs(12).withBatchSize(64).withLearningRate(0.01f));
    Data fresh = gaussians(20000, 1.0, 13);
    double bayes = 0.8413;
    double acc = head.accuracy(fresh.x(), fresh.y());
    assertTrue(Math.abs(acc - bayes) < 0.015, "accuracy " + acc + " vs Bayes " + bayes);
    // The learnt direction is the first axis: the other weights are small beside it.
    float[][] w = head.weight();
    double signal = Math.abs(w[0][1] - w[0][0]);
    for (int j = 1; j < 8; j++) {
      assertTrue(Math.abs(w[j][1] - w[j][0]) < 0.2 * signal, "feature " + j + " weight too large");
    }
  }

  @Test
  void exportedWeightsReproduceDjlLogits() {
    for (boolean standardize : new boolean[] {false, true}) {
      Data train = gaussians(800, 0.7, 21);
      Data dev = gaussians(200, 0.7, 22);
      // shift and scale features so that folding the standardisation really matters
      for (Data d : new Data[] {train, dev}) {
        for (float[] row : d.x()) {
          for (int j = 0; j < row.length; j++) {
            row[j] = row[j] * (0.05f + 0.3f * j) + (j - 4) * 0.7f;
          }
        }
      }
      LinearHead head =
          LinearHeadTrainer.train(
              train.x(),
              train.y(),
              dev.x(),
              dev.y(),
              2,
              FAST.withEpochs(5).withStandardize(standardize));
      float[][] djl = head.metrics().devLogits();
      float[][] java = head.logits(dev.x());
      assertEquals(dev.x().length, djl.length);
      int agree = 0;
      for (int i = 0; i < djl.length; i++) {
        for (int l = 0; l < 2; l++) {
          double tol = 1e-5 * Math.max(1.0, Math.abs(djl[i][l]));
          assertEquals(djl[i][l], java[i][l], tol, "standardize=" + standardize + " row " + i);
        }
        agree += LinearHead.argMax(djl[i]) == head.predict(dev.x()[i]) ? 1 : 0;
      }
      assertEquals(djl.length, agree);
      assertEquals(head.devAccuracy(), head.accuracy(dev.x(), dev.y()), 1e-12);
    }
  }

  @Test
  void sameSeedSameHeadAndTheBestDevEpochIsKept() {
    Data train = gaussians(500, 0.8, 31);
    Data dev = gaussians(150, 0.8, 32);
    HeadTrainingConfig config = FAST.withEpochs(8).withWeightDecay(0.01f);
    LinearHead a = LinearHeadTrainer.train(train.x(), train.y(), dev.x(), dev.y(), 2, config);
    LinearHead b = LinearHeadTrainer.train(train.x(), train.y(), dev.x(), dev.y(), 2, config);
    for (int h = 0; h < a.inputSize(); h++) {
      assertArrayEquals(a.weight()[h], b.weight()[h]);
    }
    assertArrayEquals(a.bias(), b.bias());
    assertEquals(8, a.metrics().epochs().size());
    double bestDev =
        a.metrics().epochs().stream()
            .mapToDouble(HeadMetrics.EpochMetrics::devAccuracy)
            .max()
            .orElseThrow();
    assertEquals(bestDev, a.devAccuracy());
    assertEquals(bestDev, a.metrics().epochs().get(a.metrics().bestEpoch() - 1).devAccuracy());
    LinearHead c =
        LinearHeadTrainer.train(train.x(), train.y(), dev.x(), dev.y(), 2, config.withSeed(99));
    assertTrue(c.bias()[0] != a.bias()[0] || c.weight()[0][0] != a.weight()[0][0], "seed unused");
  }

  @Test
  void rejectsBadShapesLabelsAndSettings() {
    float[][] x = {{1, 2}, {3, 4}};
    int[] y = {0, 1};
    assertThrows(
        ShapeMismatchException.class,
        () -> LinearHeadTrainer.train(x, new int[] {0}, x, y, 2, FAST));
    assertThrows(
        ShapeMismatchException.class,
        () -> LinearHeadTrainer.train(x, new int[] {0, 2}, x, y, 2, FAST));
    assertThrows(
        ShapeMismatchException.class,
        () -> LinearHeadTrainer.train(x, y, new float[][] {{1}, {2}}, y, 2, FAST));
    assertThrows(
        ShapeMismatchException.class,
        () -> LinearHeadTrainer.train(new float[][] {{1, Float.NaN}, {3, 4}}, y, x, y, 2, FAST));
    assertThrows(ConfigException.class, () -> FAST.withEpochs(0));
    assertThrows(ConfigException.class, () -> FAST.withLearningRate(Float.NaN));
    assertThrows(ConfigException.class, () -> FAST.withWeightDecay(-1f));
    assertThrows(ConfigException.class, () -> FAST.withBatchSize(0));
  }
}
