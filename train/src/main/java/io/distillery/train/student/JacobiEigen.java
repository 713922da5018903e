package io.distillery.train.student;

import java.util.Arrays;
import java.util.Comparator;
import java.util.stream.IntStream;

/**
 * Eigenvalues and eigenvectors of a small symmetric matrix by cyclic Jacobi rotations (exact to
 * double rounding; fine up to a few hundred rows, e.g. a 384 x 384 covariance in about a second).
 */
final class JacobiEigen {
  private static final int MAX_SWEEPS = 100;

  /**
   * @param values eigenvalues, largest first
   * @param vectors {@code vectors[k]} is the unit eigenvector of {@code values[k]}, its largest
   *     component positive (a fixed sign, so results are reproducible)
   */
  record Result(double[] values, double[][] vectors) {}

  private JacobiEigen() {}

  /** Decomposes {@code a} (symmetric, n x n; not modified). */
  static Result decompose(double[][] a) {
    int n = a.length;
    double[][] m = new double[n][];
    for (int i = 0; i < n; i++) {
      if (a[i].length != n) {
        throw new IllegalArgumentException("matrix is not square: row " + i + " has " + a[i].length
            + " values, expected " + n);
      }
      m[i] = a[i].clone();
    }
    double[][] v = new double[n][n]; // columns are eigenvectors
    for (int i = 0; i < n; i++) {
      v[i][i] = 1;
    }
    for (int sweep = 0; sweep < MAX_SWEEPS; sweep++) {
      double off = 0;
      double diag = 0;
      for (int i = 0; i < n; i++) {
        diag += m[i][i] * m[i][i];
        for (int j = i + 1; j < n; j++) {
          off += m[i][j] * m[i][j];
        }
      }
      if (off <= 1e-30 * Math.max(diag, 1e-300)) {
        break;
      }
      for (int p = 0; p < n; p++) {
        for (int q = p + 1; q < n; q++) {
          if (Math.abs(m[p][q]) < 1e-300) {
            continue;
          }
          double theta = (m[q][q] - m[p][p]) / (2 * m[p][q]);
          double t = Math.signum(theta) / (Math.abs(theta) + Math.sqrt(theta * theta + 1));
          if (theta == 0) {
            t = 1;
          }
          double c = 1 / Math.sqrt(t * t + 1);
          double s = t * c;
          rotate(m, v, n, p, q, c, s);
        }
      }
    }
    double[] values = new double[n];
    for (int i = 0; i < n; i++) {
      values[i] = m[i][i];
    }
    Integer[] order = IntStream.range(0, n).boxed().toArray(Integer[]::new);
    Arrays.sort(order, Comparator.comparingDouble((Integer i) -> values[i]).reversed());
    double[] sortedValues = new double[n];
    double[][] vectors = new double[n][n];
    for (int k = 0; k < n; k++) {
      int col = order[k];
      sortedValues[k] = values[col];
      int biggest = 0;
      for (int i = 0; i < n; i++) {
        vectors[k][i] = v[i][col];
        if (Math.abs(v[i][col]) > Math.abs(v[biggest][col])) {
          biggest = i;
        }
      }
      if (v[biggest][col] < 0) {
        for (int i = 0; i < n; i++) {
          vectors[k][i] = -vectors[k][i];
        }
      }
    }
    return new Result(sortedValues, vectors);
  }

  /** {@code m = J^T m J} and {@code v = v J} for the rotation J in the (p, q) plane. */
  private static void rotate(double[][] m, double[][] v, int n, int p, int q, double c, double s) {
    for (int k = 0; k < n; k++) { // columns p, q
      double mkp = m[k][p];
      double mkq = m[k][q];
      m[k][p] = c * mkp - s * mkq;
      m[k][q] = s * mkp + c * mkq;
    }
    for (int k = 0; k < n; k++) { // rows p, q
      double mpk = m[p][k];
      double mqk = m[q][k];
      m[p][k] = c * mpk - s * mqk;
      m[q][k] = s * mpk + c * mqk;
    }
    for (int k = 0; k < n; k++) {
      double vkp = v[k][p];
      double vkq = v[k][q];
      v[k][p] = c * vkp - s * vkq;
      v[k][q] = s * vkp + c * vkq;
    }
  }
}
