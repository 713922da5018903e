package io.distillery.train.gpt;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Parameter;
import ai.djl.nn.norm.LayerNorm;
import ai.djl.training.ParameterStore;
import ai.djl.training.initializer.ConstantInitializer;
import ai.djl.util.PairList;

/**
 * Layer normalisation over the last axis with a learned scale and shift, epsilon {@value #EPS}
 * (ONNX {@code LayerNormalization}, opset 17). {@code [..., C]} to {@code [..., C]}.
 */
public final class GptLayerNorm extends AbstractBlock {
  /** The epsilon GPT-2 uses; the ONNX exporter writes the same value. */
  public static final float EPS = 1e-5f;

  private final Parameter gamma;
  private final Parameter beta;
  private final int width;

  public GptLayerNorm(int width) {
    this.width = width;
    gamma = addParameter(Parameter.builder().setName("weight").setType(Parameter.Type.GAMMA)
        .optShape(new Shape(width)).optInitializer(new ConstantInitializer(1f)).build());
    beta = addParameter(Parameter.builder().setName("bias").setType(Parameter.Type.BETA)
        .optShape(new Shape(width)).optInitializer(new ConstantInitializer(0f)).build());
  }

  public Parameter gamma() {
    return gamma;
  }

  public Parameter beta() {
    return beta;
  }

  public NDArray apply(ParameterStore ps, NDArray x, boolean training) {
    NDArray g = ps.getValue(gamma, x.getDevice(), training);
    NDArray b = ps.getValue(beta, x.getDevice(), training);
    return LayerNorm.layerNorm(x, new Shape(width), g, b, EPS).singletonOrThrow();
  }

  @Override
  protected NDList forwardInternal(
      ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
    return new NDList(apply(ps, inputs.singletonOrThrow(), training));
  }

  @Override
  public Shape[] getOutputShapes(Shape[] inputShapes) {
    return new Shape[] {inputShapes[0]};
  }
}
