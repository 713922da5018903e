package io.distillery.train.gpt;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import io.distillery.train.nn.FixedShapeBlock;

/**
 * A block that attends with an optional key/value cache ({@link CausalSelfAttention}, {@link
 * GptBlock}). Through {@link ai.djl.nn.Block#forward}: inputs {@code [x, bias]} or {@code [x,
 * bias, pastKey, pastValue]} give {@code [y, key, value]}.
 */
abstract class KvCacheBlock extends FixedShapeBlock {
  /**
   * @param x {@code [B, T, C]}
   * @param bias additive attention bias {@code [B or 1, 1, T, S]}
   * @param pastKey {@code [B, H, P, D]} or null for no cache
   * @param pastValue {@code [B, H, P, D]} or null for no cache
   */
  public abstract CausalSelfAttention.Output apply(ParameterStore ps, NDArray x, NDArray bias,
      NDArray pastKey, NDArray pastValue, boolean training);

  @Override
  protected NDList forwardInternal(
      ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
    NDArray pastKey = inputs.size() > 2 ? inputs.get(2) : null;
    NDArray pastValue = inputs.size() > 3 ? inputs.get(3) : null;
    CausalSelfAttention.Output out =
        apply(ps, inputs.get(0), inputs.get(1), pastKey, pastValue, training);
    return new NDList(out.y(), out.key(), out.value());
  }
}
