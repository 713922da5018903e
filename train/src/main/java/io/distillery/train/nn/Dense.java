package io.distillery.train.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.initializer.NormalInitializer;

/**
 * A dense layer {@code y = x W + b} with {@code W} stored {@code [in, out]}: the layout of ONNX
 * {@code MatMul} and of Hugging Face GPT-2's "Conv1D", so weights move between DJL, ONNX and
 * checkpoints without transposes. {@code [..., in]} to {@code [..., out]}. Used by the GPT
 * decoder and the student encoder.
 */
public final class Dense extends WeightBiasBlock {
  private final int out;

  /**
   * {@code W ~ N(0, stddev²)}, {@code b = 0}.
   *
   * @param in input features
   * @param out output features
   * @param stddev standard deviation of the normal initialisation of {@code W}
   */
  public Dense(int in, int out, float stddev) {
    super(Parameter.Type.WEIGHT, new Shape(in, out), new NormalInitializer(stddev),
        Parameter.Type.BIAS, new Shape(out));
    this.out = out;
  }

  @Override
  protected NDArray apply(NDArray x, NDArray weight, NDArray bias) {
    return x.matMul(weight).add(bias);
  }

  @Override
  public Shape[] getOutputShapes(Shape[] inputShapes) {
    Shape in = inputShapes[0];
    return new Shape[] {in.slice(0, in.dimension() - 1).add(out)};
  }
}
