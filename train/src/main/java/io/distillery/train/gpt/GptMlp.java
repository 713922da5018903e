package io.distillery.train.gpt;

import io.distillery.train.nn.GraphScalar;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;

/**
 * The position-wise feed-forward net: {@code c_fc} to 4C, exact (erf) GELU, {@code c_proj} back
 * to C. {@code [B, T, C]} to {@code [B, T, C]}.
 */
public final class GptMlp extends AbstractBlock {
  private final GptLinear fc;
  private final GptLinear proj;

  public GptMlp(GptConfig config) {
    int c = config.width();
    fc = addChildBlock("c_fc", new GptLinear(c, 4 * c, 0.02f));
    proj = addChildBlock("c_proj",
        new GptLinear(4 * c, c, (float) (0.02 / Math.sqrt(2.0 * config.layers()))));
  }

  public GptLinear fc() {
    return fc;
  }

  public GptLinear proj() {
    return proj;
  }

  public NDArray apply(ParameterStore ps, NDArray x, boolean training) {
    return proj.apply(ps, gelu(fc.apply(ps, x, training)), training);
  }

  /** {@code 0.5 x (1 + erf(x / sqrt 2))}, written out so the ONNX graph can match it op for op. */
  static NDArray gelu(NDArray x) {
    // engine-owned scalars: DJL frees a plain Number operand before backward reads it
    NDArray half = x.mul(GraphScalar.of(x, 0.5f));
    NDArray erf = x.mul(GraphScalar.of(x, (float) (1.0 / Math.sqrt(2.0)))).erf();
    return half.mul(erf.add(GraphScalar.of(x, 1f)));
  }

  @Override
  protected NDList forwardInternal(
      ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
    return new NDList(apply(ps, inputs.singletonOrThrow(), training));
  }

  @Override
  protected void initializeChildBlocks(
      ai.djl.ndarray.NDManager manager, DataType dataType, Shape... inputShapes) {
    for (ai.djl.nn.Block child : getChildren().values()) {
      child.initialize(manager, dataType, inputShapes); // every parameter has a fixed shape
    }
  }

  @Override
  public Shape[] getOutputShapes(Shape[] inputShapes) {
    return new Shape[] {inputShapes[0]};
  }
}
