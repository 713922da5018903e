package io.distillery.train.nn;

import ai.djl.ndarray.NDArray;

/**
 * Multi-head scaled dot-product attention as the exported ONNX graphs compute it (see {@code
 * io.distillery.export.transformer.TransformerBlockWriter}), op for op, for the GPT decoder and
 * the student encoder.
 */
public final class Attention {
  private Attention() {}

  /** {@code [B, T, H * Dh]} to heads {@code [B, H, T, Dh]}. */
  public static NDArray splitHeads(NDArray x, int heads, int headDim) {
    long b = x.getShape().get(0);
    long t = x.getShape().get(1);
    return x.reshape(b, t, heads, headDim).transpose(0, 2, 1, 3);
  }

  /**
   * {@code softmax(q k^T / sqrt(Dh) + bias) v} with the heads merged again.
   *
   * @param q queries {@code [B, H, T, Dh]}
   * @param k keys {@code [B, H, S, Dh]}
   * @param v values {@code [B, H, S, Dh]}
   * @param bias additive bias broadcast to {@code [B, H, T, S]} (0 where allowed, a large
   *     negative number where not)
   * @return {@code [B, T, H * Dh]}
   */
  public static NDArray attend(NDArray q, NDArray k, NDArray v, NDArray bias) {
    long b = q.getShape().get(0);
    long h = q.getShape().get(1);
    long t = q.getShape().get(2);
    long d = q.getShape().get(3);
    NDArray raw = q.matMul(k.transpose(0, 1, 3, 2));
    // an engine-owned scalar: DJL frees a plain Number operand before backward reads it
    NDArray scores = raw.mul(GraphScalar.of(raw, (float) (1.0 / Math.sqrt(d)))).add(bias);
    NDArray att = scores.softmax(-1); // [B, H, T, S]
    return att.matMul(v).transpose(0, 2, 1, 3).reshape(b, t, h * d);
  }
}
