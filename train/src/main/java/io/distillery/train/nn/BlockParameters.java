package io.distillery.train.nn;

import ai.djl.nn.Parameter;
import io.distillery.export.transformer.BlockWeightNames;
import java.util.List;
import java.util.Map;

/**
 * Names the parameters of one pre-LN transformer block the way its ONNX export does (see {@code
 * io.distillery.export.transformer.TransformerBlockWriter}), for the GPT decoder and the student
 * encoder alike.
 */
public final class BlockParameters {
  private BlockParameters() {}

  /**
   * Puts the block's twelve parameters into {@code out} under {@code prefix + } their {@code
   * names}, in the order of {@link BlockWeightNames} (the order checkpoints store them in).
   */
  public static void put(Map<String, Parameter> out, String prefix, BlockWeightNames names,
      WeightBiasBlock ln1, WeightBiasBlock qkv, WeightBiasBlock attnOut, WeightBiasBlock ln2,
      WeightBiasBlock ffnIn, WeightBiasBlock ffnOut) {
    WeightBiasBlock[] layers = {ln1, qkv, attnOut, ln2, ffnIn, ffnOut};
    List<String> suffixes = names.inOrder(); // weight, bias of each layer in that order
    for (int k = 0; k < layers.length; k++) {
      out.put(prefix + suffixes.get(2 * k), layers[k].weight());
      out.put(prefix + suffixes.get(2 * k + 1), layers[k].bias());
    }
  }
}
