package io.distillery.export.quantize;

/**
 * A float {@code [rows, cols]} matrix as symmetric int8 with one scale per column or per row:
 * {@code w[r][c] ≈ values[r * cols + c] * scale}, the scale of the element's column ({@link
 * #perColumn}, a MatMul weight {@code [in, out]}: one scale per output channel) or row ({@link
 * #perRow}, an embedding table {@code [V, E]}: one scale per token). Zero points are 0 and the
 * codes stay in {@code [-127, 127]}, so negating a code never overflows.
 *
 * @param values row-major int8 codes
 * @param scales {@code cols} scales ({@link #perColumn}) or {@code rows} ({@link #perRow})
 * @param perColumn whether {@code scales} is per column
 */
public record Int8Matrix(int rows, int cols, byte[] values, float[] scales, boolean perColumn) {
  /** The largest code; symmetric, so the range is {@code [-MAX_CODE, MAX_CODE]}. */
  public static final int MAX_CODE = 127;

  public Int8Matrix {
    if (values.length != rows * cols || scales.length != (perColumn ? cols : rows)) {
      throw new IllegalArgumentException("int8 matrix [" + rows + ", " + cols + "]: "
          + values.length + " codes and " + scales.length + " scales");
    }
  }

  /** One scale per column: {@code max |w[:, c]| / 127} (1 for an all-zero column). */
  public static Int8Matrix perColumn(float[] w, int rows, int cols) {
    check(w, rows, cols);
    float[] maxAbs = new float[cols];
    for (int i = 0; i < w.length; i++) {
      maxAbs[i % cols] = Math.max(maxAbs[i % cols], Math.abs(w[i]));
    }
    float[] scales = scalesOf(maxAbs);
    byte[] q = new byte[w.length];
    for (int i = 0; i < w.length; i++) {
      q[i] = code(w[i], scales[i % cols]);
    }
    return new Int8Matrix(rows, cols, q, scales, true);
  }

  /** One scale per row: {@code max |w[r, :]| / 127} (1 for an all-zero row). */
  public static Int8Matrix perRow(float[] w, int rows, int cols) {
    check(w, rows, cols);
    float[] maxAbs = new float[rows];
    for (int i = 0; i < w.length; i++) {
      maxAbs[i / cols] = Math.max(maxAbs[i / cols], Math.abs(w[i]));
    }
    float[] scales = scalesOf(maxAbs);
    byte[] q = new byte[w.length];
    for (int i = 0; i < w.length; i++) {
      q[i] = code(w[i], scales[i / cols]);
    }
    return new Int8Matrix(rows, cols, q, scales, false);
  }

  /** The float matrix the codes stand for, row-major. */
  public float[] dequantize() {
    float[] w = new float[values.length];
    for (int i = 0; i < w.length; i++) {
      w[i] = values[i] * scales[perColumn ? i % cols : i / cols];
    }
    return w;
  }

  private static float[] scalesOf(float[] maxAbs) {
    float[] s = new float[maxAbs.length];
    for (int i = 0; i < s.length; i++) {
      s[i] = maxAbs[i] > 0 ? maxAbs[i] / MAX_CODE : 1f;
    }
    return s;
  }

  private static byte code(float w, float scale) {
    long q = Math.round(w / scale);
    return (byte) Math.max(-MAX_CODE, Math.min(MAX_CODE, q));
  }

  private static void check(float[] w, int rows, int cols) {
    if (rows <= 0 || cols <= 0 || (long) rows * cols != w.length) {
      throw new IllegalArgumentException(
          "int8 matrix: shape [" + rows + ", " + cols + "] for " + w.length + " values");
    }
  }
}
