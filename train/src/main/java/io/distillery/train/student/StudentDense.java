package io.distillery.train.student;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import ai.djl.training.initializer.ConstantInitializer;
import ai.djl.training.initializer.NormalInitializer;
import ai.djl.util.PairList;

/**
 * A dense layer {@code y = x W + b} with {@code W} stored {@code [in, out]}, the layout of ONNX
 * {@code MatMul}, so the exported graph uses the weights as they are. {@code [..., in]} to {@code
 * [..., out]}.
 */
final class StudentDense extends AbstractBlock {
  private final Parameter weight;
  private final Parameter bias;
  private final int out;

  /** {@code W ~ N(0, stddev²)}, {@code b = 0}. */
  StudentDense(int in, int out, float stddev) {
    this.out = out;
    weight = addParameter(Parameter.builder().setName("weight").setType(Parameter.Type.WEIGHT)
        .optShape(new Shape(in, out)).optInitializer(new NormalInitializer(stddev)).build());
    bias = addParameter(Parameter.builder().setName("bias").setType(Parameter.Type.BIAS)
        .optShape(new Shape(out)).optInitializer(new ConstantInitializer(0f)).build());
  }

  Parameter weight() {
    return weight;
  }

  Parameter bias() {
    return bias;
  }

  /** {@code [..., in]} to {@code [..., out]}. */
  NDArray apply(ParameterStore ps, NDArray x, boolean training) {
    NDArray w = ps.getValue(weight, x.getDevice(), training);
    NDArray b = ps.getValue(bias, x.getDevice(), training);
    return x.matMul(w).add(b);
  }

  @Override
  protected NDList forwardInternal(
      ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
    return new NDList(apply(ps, inputs.singletonOrThrow(), training));
  }

  @Override
  public Shape[] getOutputShapes(Shape[] inputShapes) {
    Shape in = inputShapes[0];
    return new Shape[] {in.slice(0, in.dimension() - 1).add(out)};
  }
}
