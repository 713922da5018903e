package io.distillery.train.student;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Parameter;
import ai.djl.nn.norm.LayerNorm;
import ai.djl.training.ParameterStore;
import ai.djl.training.initializer.ConstantInitializer;
import ai.djl.util.PairList;
import io.distillery.export.student.StudentExporter;

/**
 * Layer normalisation over the last axis with learned scale and shift and the exporter's epsilon
 * ({@link StudentExporter#LN_EPS}, ONNX {@code LayerNormalization}). {@code [..., D]} to {@code
 * [..., D]}.
 */
final class StudentLayerNorm extends AbstractBlock {
  private final Parameter gamma;
  private final Parameter beta;
  private final int width;

  StudentLayerNorm(int width) {
    this.width = width;
    gamma = addParameter(Parameter.builder().setName("weight").setType(Parameter.Type.GAMMA)
        .optShape(new Shape(width)).optInitializer(new ConstantInitializer(1f)).build());
    beta = addParameter(Parameter.builder().setName("bias").setType(Parameter.Type.BETA)
        .optShape(new Shape(width)).optInitializer(new ConstantInitializer(0f)).build());
  }

  Parameter gamma() {
    return gamma;
  }

  Parameter beta() {
    return beta;
  }

  NDArray apply(ParameterStore ps, NDArray x, boolean training) {
    NDArray g = ps.getValue(gamma, x.getDevice(), training);
    NDArray b = ps.getValue(beta, x.getDevice(), training);
    return LayerNorm.layerNorm(x, new Shape(width), g, b, StudentExporter.LN_EPS)
        .singletonOrThrow();
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
