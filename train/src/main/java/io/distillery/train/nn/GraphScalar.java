package io.distillery.train.nn;

import ai.djl.ndarray.NDArray;

/**
 * Scalar constants for operations that autograd records. DJL's PyTorch {@code NDArray.mul(Number)}
 * (also {@code div}, {@code maximum}...) wraps the number in a tensor that points into a Java
 * direct buffer and closes it right after the call; when the operation's backward keeps that
 * tensor (multiplication does), the backward pass later reads memory the garbage collector may
 * already have freed, which shows up as rare, GC-timing-dependent NaN gradients. An engine-owned
 * copy, attached to the caller's manager and scope, lives as long as the graph needs it.
 */
public final class GraphScalar {
  private GraphScalar() {}

  /** A float scalar in engine-owned memory, on {@code like}'s manager and device. */
  public static NDArray of(NDArray like, float value) {
    try (NDArray fromJava = like.getManager().create(value)) {
      return fromJava.duplicate();
    }
  }
}
