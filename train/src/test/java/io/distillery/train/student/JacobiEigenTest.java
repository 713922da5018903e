package io.distillery.train.student;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;

class JacobiEigenTest {
  @Test
  void decomposesASymmetricMatrix() {
    int n = 12;
    Random rnd = new Random(3);
    double[][] a = new double[n][n];
    for (int i = 0; i < n; i++) {
      for (int j = i; j < n; j++) {
        a[i][j] = rnd.nextGaussian();
        a[j][i] = a[i][j];
      }
    }
    JacobiEigen.Result r = JacobiEigen.decompose(a);
    for (int k = 0; k < n; k++) {
      if (k > 0) {
        assertTrue(r.values()[k] <= r.values()[k - 1], "eigenvalues sorted, largest first");
      }
      double[] v = r.vectors()[k];
      for (int i = 0; i < n; i++) {
        double av = 0;
        for (int j = 0; j < n; j++) {
          av += a[i][j] * v[j];
        }
        assertEquals(r.values()[k] * v[i], av, 1e-9, "A v = lambda v, component " + i);
      }
      for (int l = 0; l < n; l++) {
        double dot = 0;
        for (int i = 0; i < n; i++) {
          dot += v[i] * r.vectors()[l][i];
        }
        assertEquals(k == l ? 1 : 0, dot, 1e-9, "orthonormal eigenvectors");
      }
    }
  }

  @Test
  void knownTwoByTwo() {
    JacobiEigen.Result r = JacobiEigen.decompose(new double[][] {{2, 1}, {1, 2}});
    assertEquals(3, r.values()[0], 1e-12);
    assertEquals(1, r.values()[1], 1e-12);
    assertEquals(Math.sqrt(0.5), r.vectors()[0][0], 1e-12);
    assertEquals(Math.sqrt(0.5), r.vectors()[0][1], 1e-12);
  }
}
