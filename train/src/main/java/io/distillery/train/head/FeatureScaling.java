package io.distillery.train.head;

/**
 * Per-feature standardisation fitted on the training inputs: {@code z = (x - mean) / scale}.
 * Training on {@code z} conditions the optimisation; {@link #fold} turns a head trained on {@code
 * z} back into one on raw {@code x}: {@code W[h][l] = Wz[l][h] / scale[h]}, {@code b[l] = bz[l] -
 * sum_h mean[h] W[h][l]}.
 *
 * @param mean {@code [H]}
 * @param scale {@code [H]}, the training standard deviation (1 where a feature is constant)
 */
record FeatureScaling(double[] mean, double[] scale) {
  private static final double MIN_STD = 1e-8;

  static FeatureScaling identity(int h) {
    double[] ones = new double[h];
    java.util.Arrays.fill(ones, 1.0);
    return new FeatureScaling(new double[h], ones);
  }

  /** Mean and population standard deviation of each column of {@code x [N, H]}. */
  static FeatureScaling fit(float[][] x) {
    int h = x[0].length;
    double[] mean = new double[h];
    for (float[] row : x) {
      for (int j = 0; j < h; j++) {
        mean[j] += row[j];
      }
    }
    for (int j = 0; j < h; j++) {
      mean[j] /= x.length;
    }
    double[] var = new double[h];
    for (float[] row : x) {
      for (int j = 0; j < h; j++) {
        double d = row[j] - mean[j];
        var[j] += d * d;
      }
    }
    double[] scale = new double[h];
    for (int j = 0; j < h; j++) {
      double std = Math.sqrt(var[j] / x.length);
      scale[j] = std < MIN_STD ? 1.0 : std;
    }
    return new FeatureScaling(mean, scale);
  }

  /** {@code x [N, H]} standardised and flattened row-major into {@code [N * H]}. */
  float[] applyFlat(float[][] x) {
    int h = mean.length;
    float[] out = new float[x.length * h];
    for (int i = 0; i < x.length; i++) {
      for (int j = 0; j < h; j++) {
        out[i * h + j] = (float) ((x[i][j] - mean[j]) / scale[j]);
      }
    }
    return out;
  }

  /**
   * Folds a head trained on standardised inputs ({@code wz [L, H]}, {@code bz [L]}) into raw space.
   */
  LinearHead fold(float[] wz, float[] bz, HeadMetrics metrics) {
    int h = mean.length;
    int labels = bz.length;
    float[][] weight = new float[h][labels];
    float[] bias = new float[labels];
    for (int l = 0; l < labels; l++) {
      double b = bz[l];
      for (int j = 0; j < h; j++) {
        float w = (float) (wz[l * h + j] / scale[j]);
        weight[j][l] = w;
        b -= mean[j] * w; // with the rounded weight, so the centred error term is what remains
      }
      bias[l] = (float) b;
    }
    return new LinearHead(weight, bias, metrics);
  }
}
