package io.distillery.export.transformer;

import io.distillery.export.graph.Ref;
import java.util.List;
import java.util.Map;

/**
 * The names, below a per-block prefix, of the twelve weights of one pre-LN transformer block:
 * the two layer norms' scale and shift, and the weight ({@code [in, out]}) and bias of the fused
 * query/key/value projection, the attention output projection and the feed-forward net's two
 * dense layers. A model family (GPT-2, the student encoder) names them its own way.
 */
public record BlockWeightNames(String ln1Weight, String ln1Bias, String qkvWeight, String qkvBias,
    String attnOutWeight, String attnOutBias, String ln2Weight, String ln2Bias,
    String ffnInWeight, String ffnInBias, String ffnOutWeight, String ffnOutBias) {

  /**
   * The twelve names in declaration order: the weight and then the bias of the first layer norm,
   * the query/key/value projection, the attention output, the second layer norm, the
   * feed-forward input and the feed-forward output.
   */
  public List<String> inOrder() {
    return List.of(ln1Weight, ln1Bias, qkvWeight, qkvBias, attnOutWeight, attnOutBias, ln2Weight,
        ln2Bias, ffnInWeight, ffnInBias, ffnOutWeight, ffnOutBias);
  }

  /** The graph values of one block: {@code prefix + name} looked up in {@code weights}. */
  BlockWeights resolve(Map<String, Ref> weights, String prefix) {
    return new BlockWeights(weights.get(prefix + ln1Weight), weights.get(prefix + ln1Bias),
        weights.get(prefix + qkvWeight), weights.get(prefix + qkvBias),
        weights.get(prefix + attnOutWeight), weights.get(prefix + attnOutBias),
        weights.get(prefix + ln2Weight), weights.get(prefix + ln2Bias),
        weights.get(prefix + ffnInWeight), weights.get(prefix + ffnInBias),
        weights.get(prefix + ffnOutWeight), weights.get(prefix + ffnOutBias));
  }

  /** One block's weights as graph values (initializers). */
  record BlockWeights(Ref ln1Weight, Ref ln1Bias, Ref qkvWeight, Ref qkvBias, Ref attnOutWeight,
      Ref attnOutBias, Ref ln2Weight, Ref ln2Bias, Ref ffnInWeight, Ref ffnInBias,
      Ref ffnOutWeight, Ref ffnOutBias) {}
}
