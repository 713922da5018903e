package io.distillery.runtime.model;

import ai.onnxruntime.NodeInfo;
import ai.onnxruntime.OnnxJavaType;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.TensorInfo;
import io.distillery.core.ModelLoadException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import java.util.Set;

/**
 * The token inputs of a BERT-style text model: int64 {@code input_ids} and {@code
 * attention_mask} {@code [batch, seq]}, and optionally {@code token_type_ids} of the same shape.
 * No other input is allowed: a model that needs one (e.g. a decoder's {@code position_ids} or
 * past key values) is not a text encoder.
 *
 * @param hasTokenTypeIds whether the model takes {@code token_type_ids}
 */
public record TextInputs(boolean hasTokenTypeIds) {
  public static final String INPUT_IDS = "input_ids";
  public static final String ATTENTION_MASK = "attention_mask";
  public static final String TOKEN_TYPE_IDS = "token_type_ids";

  private static final Set<String> KNOWN = Set.of(INPUT_IDS, ATTENTION_MASK, TOKEN_TYPE_IDS);

  /**
   * Checks the inputs of {@code session}.
   *
   * @param expected what the caller needs, for messages, e.g. {@code "a text classifier with a
   *     float logits [batch, labels] output"}
   * @throws ModelLoadException naming {@code model}, what is missing and what the model has
   */
  public static TextInputs check(Path model, OrtSession session, String expected) {
    Map<String, NodeInfo> inputs = info(model, session, true);
    for (String name : inputs.keySet()) {
      if (!KNOWN.contains(name)) {
        throw new ModelLoadException(
            model,
            "unexpected input '" + name + "' (has " + inputs.keySet() + "); expected " + expected
                + " taking only input_ids, attention_mask and optional token_type_ids");
      }
    }
    for (String required : new String[] {INPUT_IDS, ATTENTION_MASK}) {
      if (!inputs.containsKey(required)) {
        throw new ModelLoadException(
            model,
            "no input '" + required + "' (has " + inputs.keySet() + "); expected " + expected
                + " taking int64 input_ids and attention_mask [batch, seq]");
      }
    }
    for (NodeInfo node : inputs.values()) {
      requireTensor(model, "input", node, OnnxJavaType.INT64, 2, "int64 [batch, seq]");
    }
    return new TextInputs(inputs.containsKey(TOKEN_TYPE_IDS));
  }

  /**
   * Checks that {@code node} is a tensor of {@code type} and {@code rank}.
   *
   * @return its shape, -1 for symbolic dimensions
   */
  static long[] requireTensor(
      Path model, String kind, NodeInfo node, OnnxJavaType type, int rank, String wanted) {
    if (!(node.getInfo() instanceof TensorInfo tensor)) {
      throw new ModelLoadException(
          model, kind + " '" + node.getName() + "' is " + node.getInfo() + "; expected a tensor " + wanted);
    }
    long[] shape = tensor.getShape();
    if (tensor.type != type || shape.length != rank) {
      throw new ModelLoadException(
          model,
          kind + " '" + node.getName() + "' is " + tensor.type + " " + Arrays.toString(shape)
              + "; expected " + wanted);
    }
    return shape;
  }

  /** The input or output infos of {@code session}, with onnxruntime errors named after the file. */
  static Map<String, NodeInfo> info(Path model, OrtSession session, boolean inputs) {
    try {
      return inputs ? session.getInputInfo() : session.getOutputInfo();
    } catch (OrtException e) {
      throw new ModelLoadException(model, "cannot read the model signature (" + e.getMessage() + ")", e);
    }
  }
}
