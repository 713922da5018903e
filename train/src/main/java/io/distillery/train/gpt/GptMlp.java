package io.distillery.train.gpt;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import io.distillery.train.nn.Dense;
import io.distillery.train.nn.FixedShapeBlock;
import io.distillery.train.nn.Gelu;

/**
 * The position-wise feed-forward net: {@code c_fc} to 4C, exact (erf) GELU, {@code c_proj} back
 * to C. {@code [B, T, C]} to {@code [B, T, C]}.
 */
public final class GptMlp extends FixedShapeBlock {
  private final Dense fc;
  private final Dense proj;

  public GptMlp(GptConfig config) {
    int c = config.width();
    fc = addChildBlock("c_fc", new Dense(c, 4 * c, 0.02f));
    proj = addChildBlock("c_proj",
        new Dense(4 * c, c, (float) (0.02 / Math.sqrt(2.0 * config.layers()))));
  }

  public Dense fc() {
    return fc;
  }

  public Dense proj() {
    return proj;
  }

  public NDArray apply(ParameterStore ps, NDArray x, boolean training) {
    return proj.apply(ps, Gelu.apply(fc.apply(ps, x, training)), training);
  }

  @Override
  protected NDList forwardInternal(
      ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
    return new NDList(apply(ps, inputs.singletonOrThrow(), training));
  }
}
