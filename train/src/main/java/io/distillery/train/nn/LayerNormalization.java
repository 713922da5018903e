package io.distillery.train.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.nn.norm.LayerNorm;
import ai.djl.training.initializer.ConstantInitializer;

/**
 * Layer normalisation over the last axis with a learned scale ({@code weight}, gamma, initially
 * 1) and shift ({@code bias}, beta, initially 0), as ONNX {@code LayerNormalization} (opset 17)
 * computes it. {@code [..., W]} to {@code [..., W]}. Used by the GPT decoder and the student
 * encoder.
 */
public final class LayerNormalization extends WeightBiasBlock {
  private final int width;
  private final float eps;

  /**
   * @param width the last axis W
   * @param eps added to the variance; the ONNX exporter must write the same value
   */
  public LayerNormalization(int width, float eps) {
    super(Parameter.Type.GAMMA, new Shape(width), new ConstantInitializer(1f),
        Parameter.Type.BETA, new Shape(width));
    this.width = width;
    this.eps = eps;
  }

  @Override
  protected NDArray apply(NDArray x, NDArray gamma, NDArray beta) {
    return LayerNorm.layerNorm(x, new Shape(width), gamma, beta, eps).singletonOrThrow();
  }
}
