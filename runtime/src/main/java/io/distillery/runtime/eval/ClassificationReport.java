package io.distillery.runtime.eval;

import java.util.List;

/**
 * Accuracy, per-label precision/recall/F1, macro-F1 and the confusion matrix of predictions
 * against gold labels. {@code confusion[gold][predicted]} counts examples.
 */
public record ClassificationReport(
    List<String> labels, long[][] confusion, double accuracy, double macroF1, PerLabel[] perLabel) {

  /** Scores of one label. {@code support} is the number of gold examples with that label. */
  public record PerLabel(String label, double precision, double recall, double f1, long support) {}

  /**
   * Scores predictions against gold labels (both label ids in {@code [0, labels.size())}).
   *
   * @throws IllegalArgumentException when lengths differ, the input is empty, or an id is out of
   *     range
   */
  public static ClassificationReport of(List<String> labels, int[] gold, int[] predicted) {
    if (gold.length != predicted.length) {
      throw new IllegalArgumentException(
          "gold has " + gold.length + " labels but predicted has " + predicted.length);
    }
    if (gold.length == 0) {
      throw new IllegalArgumentException("no examples to score");
    }
    int k = labels.size();
    long[][] confusion = new long[k][k];
    long correct = 0;
    for (int i = 0; i < gold.length; i++) {
      checkRange(gold[i], k, "gold", i);
      checkRange(predicted[i], k, "predicted", i);
      confusion[gold[i]][predicted[i]]++;
      if (gold[i] == predicted[i]) {
        correct++;
      }
    }
    PerLabel[] per = new PerLabel[k];
    double f1Sum = 0;
    for (int c = 0; c < k; c++) {
      long tp = confusion[c][c];
      long predictedC = 0;
      long goldC = 0;
      for (int j = 0; j < k; j++) {
        predictedC += confusion[j][c];
        goldC += confusion[c][j];
      }
      double precision = predictedC == 0 ? 0 : (double) tp / predictedC;
      double recall = goldC == 0 ? 0 : (double) tp / goldC;
      double f1 = precision + recall == 0 ? 0 : 2 * precision * recall / (precision + recall);
      per[c] = new PerLabel(labels.get(c), precision, recall, f1, goldC);
      f1Sum += f1;
    }
    return new ClassificationReport(
        List.copyOf(labels), confusion, (double) correct / gold.length, f1Sum / k, per);
  }

  /** Fraction of positions where two prediction arrays agree (e.g. student vs teacher). */
  public static double agreement(int[] a, int[] b) {
    if (a.length != b.length || a.length == 0) {
      throw new IllegalArgumentException("agreement needs two equal, non-empty arrays");
    }
    long same = 0;
    for (int i = 0; i < a.length; i++) {
      if (a[i] == b[i]) {
        same++;
      }
    }
    return (double) same / a.length;
  }

  /** Index of the largest value in each row: {@code [N, L] -> [N]}. */
  public static int[] argmax(float[][] logits) {
    int[] out = new int[logits.length];
    for (int i = 0; i < logits.length; i++) {
      int best = 0;
      for (int j = 1; j < logits[i].length; j++) {
        if (logits[i][j] > logits[i][best]) {
          best = j;
        }
      }
      out[i] = best;
    }
    return out;
  }

  public long examples() {
    long n = 0;
    for (long[] row : confusion) {
      for (long v : row) {
        n += v;
      }
    }
    return n;
  }

  private static void checkRange(int id, int k, String which, int index) {
    if (id < 0 || id >= k) {
      throw new IllegalArgumentException(
          which + " label id " + id + " at example " + index + " is outside [0, " + k + ")");
    }
  }
}
