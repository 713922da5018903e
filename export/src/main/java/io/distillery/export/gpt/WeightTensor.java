package io.distillery.export.gpt;

import java.util.Arrays;

/**
 * One float weight: its shape and its values, row-major.
 *
 * @param shape dimensions, e.g. {@code [in, out]}
 * @param values {@code product(shape)} floats
 */
public record WeightTensor(long[] shape, float[] values) {
  public WeightTensor {
    long n = 1;
    for (long d : shape) {
      n *= d;
    }
    if (n != values.length) {
      throw new IllegalArgumentException(
          "shape " + Arrays.toString(shape) + " holds " + n + " values, got " + values.length);
    }
  }

  public String shapeText() {
    return Arrays.toString(shape);
  }
}
