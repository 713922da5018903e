package io.distillery.train.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import ai.djl.training.initializer.ConstantInitializer;
import ai.djl.training.initializer.Initializer;
import ai.djl.util.PairList;

/**
 * A one-input layer with two parameters named {@code weight} and {@code bias} (the bias starts
 * at 0): {@link Dense} and {@link LayerNormalization}. The names are the last part of the
 * Hugging Face / ONNX weight names, e.g. {@code ln_1.weight}.
 */
public abstract class WeightBiasBlock extends FixedShapeBlock {
  private final Parameter weight;
  private final Parameter bias;

  protected WeightBiasBlock(Parameter.Type weightType, Shape weightShape, Initializer weightInit,
      Parameter.Type biasType, Shape biasShape) {
    weight = addParameter(Parameter.builder().setName("weight").setType(weightType)
        .optShape(weightShape).optInitializer(weightInit).build());
    bias = addParameter(Parameter.builder().setName("bias").setType(biasType)
        .optShape(biasShape).optInitializer(new ConstantInitializer(0f)).build());
  }

  public Parameter weight() {
    return weight;
  }

  public Parameter bias() {
    return bias;
  }

  /** The layer on {@code x} with the parameters' current values. */
  public NDArray apply(ParameterStore ps, NDArray x, boolean training) {
    NDArray w = ps.getValue(weight, x.getDevice(), training);
    NDArray b = ps.getValue(bias, x.getDevice(), training);
    return apply(x, w, b);
  }

  /** The layer's computation given the parameter values. */
  protected abstract NDArray apply(NDArray x, NDArray weight, NDArray bias);

  @Override
  protected NDList forwardInternal(
      ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
    return new NDList(apply(ps, inputs.singletonOrThrow(), training));
  }
}
