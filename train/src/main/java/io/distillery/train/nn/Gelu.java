package io.distillery.train.nn;

import ai.djl.ndarray.NDArray;

/** The exact (erf) GELU, written out op for op as the exported ONNX graphs compute it. */
public final class Gelu {
  private Gelu() {}

  /** {@code 0.5 x (1 + erf(x / sqrt 2))}. */
  public static NDArray apply(NDArray x) {
    // engine-owned scalars: DJL frees a plain Number operand before backward reads it
    NDArray half = x.mul(GraphScalar.of(x, 0.5f));
    NDArray erf = x.div(GraphScalar.of(x, (float) Math.sqrt(2.0))).erf();
    return half.mul(erf.add(GraphScalar.of(x, 1f)));
  }
}
