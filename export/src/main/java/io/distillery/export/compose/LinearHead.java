package io.distillery.export.compose;

import io.distillery.core.ConfigException;

/**
 * A linear classification head on pooled encoder output: {@code logits = pooled · weight + bias}.
 *
 * @param weight {@code [H, L]}: hidden size H rows, one column per label
 * @param bias {@code [L]}
 * @param normalize whether pooled vectors are L2-normalised before the head; only {@code false}
 *     is supported
 */
public record LinearHead(float[][] weight, float[] bias, boolean normalize) {
  public LinearHead {
    if (weight == null || weight.length == 0 || weight[0].length == 0) {
      throw new ConfigException("head.weight: expected [H, L] with H, L >= 1, got an empty matrix");
    }
    int labels = weight[0].length;
    float[][] copy = new float[weight.length][];
    for (int h = 0; h < weight.length; h++) {
      if (weight[h].length != labels) {
        throw new ConfigException("head.weight: row " + h + " has " + weight[h].length
            + " columns, row 0 has " + labels);
      }
      copy[h] = weight[h].clone();
    }
    weight = copy;
    if (bias == null || bias.length != labels) {
      throw new ConfigException("head.bias: expected " + labels + " values (one per label), got "
          + (bias == null ? "none" : bias.length));
    }
    bias = bias.clone();
    if (normalize) {
      throw new ConfigException(
          "head.normalize: L2-normalised pooling is not supported; use normalize=false");
    }
  }

  /** A head without normalisation. */
  public static LinearHead of(float[][] weight, float[] bias) {
    return new LinearHead(weight, bias, false);
  }

  /** H, the pooled vector's size. */
  public int hiddenSize() {
    return weight.length;
  }

  /** L, the number of labels. */
  public int numLabels() {
    return bias.length;
  }

  @Override
  public float[][] weight() {
    float[][] copy = new float[weight.length][];
    for (int h = 0; h < weight.length; h++) {
      copy[h] = weight[h].clone();
    }
    return copy;
  }

  @Override
  public float[] bias() {
    return bias.clone();
  }
}
