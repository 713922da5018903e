package io.distillery.runtime.bench;

import java.util.Arrays;

/** Order statistics of repeated measurements (machines here are shared and noisy: use medians). */
public final class Stats {
  private Stats() {}

  public static double median(double[] xs) {
    return percentile(xs, 50);
  }

  /** Nearest-rank percentile, p in [0, 100]. */
  public static double percentile(double[] xs, double p) {
    if (xs.length == 0) {
      throw new IllegalArgumentException("no samples");
    }
    double[] s = xs.clone();
    Arrays.sort(s);
    int rank = (int) Math.ceil(p / 100.0 * s.length);
    return s[Math.max(0, Math.min(s.length - 1, rank - 1))];
  }
}
