package io.distillery.train.head;

import io.distillery.core.ShapeMismatchException;

/**
 * A trained linear classifier over pooled embeddings: {@code logits = x · weight + bias}, the same
 * arithmetic as the exported ONNX graph ({@code MatMul} then {@code Add}).
 *
 * @param weight {@code [H, L]}: H input features, L labels
 * @param bias {@code [L]}
 * @param metrics how training went (selected epoch, accuracies, history)
 */
public record LinearHead(float[][] weight, float[] bias, HeadMetrics metrics) {
  public LinearHead {
    if (weight.length == 0 || bias.length == 0) {
      throw new ShapeMismatchException("linear head: weight [H, L] and bias [L] must be non-empty");
    }
    for (int h = 0; h < weight.length; h++) {
      if (weight[h].length != bias.length) {
        throw new ShapeMismatchException(
            "linear head: weight row "
                + h
                + " has "
                + weight[h].length
                + " labels, bias has "
                + bias.length);
      }
    }
  }

  /** H, the number of input features. */
  public int inputSize() {
    return weight.length;
  }

  /** L, the number of labels. */
  public int numLabels() {
    return bias.length;
  }

  /** Logits {@code [L]} of one input {@code [H]}, accumulated in double. */
  public float[] logits(float[] x) {
    if (x.length != weight.length) {
      throw new ShapeMismatchException(
          "linear head input: expected " + weight.length + " features, found " + x.length);
    }
    double[] acc = new double[bias.length];
    for (int l = 0; l < acc.length; l++) {
      acc[l] = bias[l];
    }
    for (int h = 0; h < x.length; h++) {
      float xh = x[h];
      float[] row = weight[h];
      for (int l = 0; l < acc.length; l++) {
        acc[l] += (double) xh * row[l];
      }
    }
    float[] out = new float[acc.length];
    for (int l = 0; l < out.length; l++) {
      out[l] = (float) acc[l];
    }
    return out;
  }

  /** Logits {@code [N, L]} of inputs {@code [N, H]}. */
  public float[][] logits(float[][] x) {
    float[][] out = new float[x.length][];
    for (int i = 0; i < x.length; i++) {
      out[i] = logits(x[i]);
    }
    return out;
  }

  /** The arg-max label of one input (the lowest index on ties, like ONNX {@code ArgMax}). */
  public int predict(float[] x) {
    return argMax(logits(x));
  }

  /** Fraction of {@code x} rows whose predicted label equals {@code y}. */
  public double accuracy(float[][] x, int[] y) {
    if (x.length != y.length || x.length == 0) {
      throw new ShapeMismatchException(
          "linear head accuracy: expected as many labels as rows (> 0), found "
              + x.length
              + " rows and "
              + y.length
              + " labels");
    }
    int right = 0;
    for (int i = 0; i < x.length; i++) {
      if (predict(x[i]) == y[i]) {
        right++;
      }
    }
    return (double) right / x.length;
  }

  /** Training-set accuracy at the selected epoch. */
  public double trainAccuracy() {
    return metrics.trainAccuracy();
  }

  /** Dev-set accuracy at the selected epoch. */
  public double devAccuracy() {
    return metrics.devAccuracy();
  }

  static int argMax(float[] v) {
    int best = 0;
    for (int i = 1; i < v.length; i++) {
      if (v[i] > v[best]) {
        best = i;
      }
    }
    return best;
  }
}
