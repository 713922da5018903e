package io.distillery.runtime.generate;

import ai.onnxruntime.NodeInfo;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.TensorInfo;
import io.distillery.core.ModelLoadException;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What a causal LM's ONNX graph takes and gives, read from its inputs and outputs: the Hugging
 * Face Optimum {@code text-generation-with-past} signature ({@code input_ids}, optional
 * {@code attention_mask} / {@code position_ids}, {@code past_key_values.{i}.key|value}
 * {@code [B, H, P, D]}; {@code logits} {@code [B, T, V]}, {@code present.{i}.key|value}), or the
 * same without the past inputs (no cache).
 *
 * @param layers past/present layer pairs (0 when the model has no cache inputs)
 * @param heads H of the past inputs (0 without cache)
 * @param headDim D of the past inputs (0 without cache)
 * @param hasAttentionMask whether {@code attention_mask} is an input
 * @param hasPositionIds whether {@code position_ids} is an input
 */
public record LmSignature(int layers, int heads, int headDim, boolean hasAttentionMask,
    boolean hasPositionIds) {
  private static final Pattern PAST = Pattern.compile("past_key_values\\.(\\d+)\\.(key|value)");
  private static final Pattern PRESENT = Pattern.compile("present\\.(\\d+)\\.(key|value)");

  public boolean hasCache() {
    return layers > 0;
  }

  /**
   * Reads the signature.
   *
   * @throws ModelLoadException naming the file: no {@code input_ids} or {@code logits}, past
   *     inputs without matching present outputs (or the reverse), or an unknown input
   */
  public static LmSignature of(Path model, Map<String, NodeInfo> inputs,
      Map<String, NodeInfo> outputs) {
    if (!inputs.containsKey("input_ids")) {
      throw new ModelLoadException(model, "no input 'input_ids' (has " + new TreeSet<>(
          inputs.keySet()) + "); expected a causal LM exported for text-generation");
    }
    if (!outputs.containsKey("logits")) {
      throw new ModelLoadException(model, "no output 'logits' (has " + new TreeSet<>(
          outputs.keySet()) + "); expected a causal LM exported for text-generation");
    }
    TreeSet<Integer> pastLayers = new TreeSet<>();
    int pastNames = 0;
    int heads = 0;
    int headDim = 0;
    for (Map.Entry<String, NodeInfo> e : inputs.entrySet()) {
      String name = e.getKey();
      Matcher m = PAST.matcher(name);
      if (m.matches()) {
        pastLayers.add(Integer.parseInt(m.group(1)));
        pastNames++;
        long[] shape = shape(model, e.getValue());
        if (shape.length != 4 || shape[1] <= 0 || shape[3] <= 0) {
          throw new ModelLoadException(model, "input '" + name + "' must be [batch, heads, past,"
              + " head_dim] with fixed heads and head_dim, found " + java.util.Arrays.toString(shape));
        }
        heads = (int) shape[1];
        headDim = (int) shape[3];
      } else if (!name.equals("input_ids") && !name.equals("attention_mask")
          && !name.equals("position_ids") && !name.equals(LogitsReducer.IN_GRAPH_K)) {
        throw new ModelLoadException(model, "unexpected input '" + name + "'; a causal LM takes "
            + "input_ids, attention_mask, position_ids and past_key_values.{i}.key|value");
      }
    }
    TreeSet<Integer> presentLayers = new TreeSet<>();
    int presentNames = 0;
    for (String name : outputs.keySet()) {
      Matcher m = PRESENT.matcher(name);
      if (m.matches()) {
        presentLayers.add(Integer.parseInt(m.group(1)));
        presentNames++;
      }
    }
    int layers = pastLayers.size();
    if (pastNames != 2 * layers || (layers > 0 && pastLayers.last() != layers - 1)) {
      throw new ModelLoadException(model, "past_key_values inputs must be a key and a value for"
          + " layers 0.." + (layers - 1) + ", found layers " + pastLayers + " in " + pastNames
          + " inputs");
    }
    if (layers > 0 && (presentLayers.size() != layers || presentNames != 2 * layers)) {
      throw new ModelLoadException(model, "layer count mismatch: " + layers + " past_key_values"
          + " layers as inputs but " + presentLayers.size() + " present layers as outputs ("
          + presentNames + " present.* outputs); re-export with the cache on every layer");
    }
    return new LmSignature(layers, heads, headDim, inputs.containsKey("attention_mask"),
        inputs.containsKey("position_ids"));
  }

  private static long[] shape(Path model, NodeInfo info) {
    if (!(info.getInfo() instanceof TensorInfo t)) {
      throw new ModelLoadException(model, "input '" + info.getName() + "' is not a tensor");
    }
    return t.getShape();
  }

  /** Wraps an ORT metadata error. */
  static ModelLoadException unreadable(Path model, OrtException e) {
    return new ModelLoadException(model, "cannot read the model's inputs and outputs ("
        + e.getMessage() + ")", e);
  }
}
