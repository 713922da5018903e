package io.distillery.runtime.model;

import ai.onnxruntime.NodeInfo;
import ai.onnxruntime.OnnxJavaType;
import ai.onnxruntime.OrtSession;
import io.distillery.core.ModelLoadException;
import java.nio.file.Path;
import java.util.Map;

/**
 * The signature of a text encoder (Optimum {@code feature-extraction}): {@link TextInputs} in,
 * float {@code last_hidden_state [batch, seq, hidden]} out.
 *
 * @param inputs the token inputs
 * @param hiddenSize the static hidden size, or -1 when it is symbolic
 */
public record EncoderSignature(TextInputs inputs, int hiddenSize) {
  public static final String LAST_HIDDEN_STATE = "last_hidden_state";
  static final String EXPECTED =
      "a text encoder with a float last_hidden_state [batch, seq, hidden] output";

  /**
   * Checks that {@code session} is a text encoder.
   *
   * @throws ModelLoadException naming {@code model}, what is missing and what the model has
   */
  public static EncoderSignature check(Path model, OrtSession session) {
    Map<String, NodeInfo> outputs = TextInputs.info(model, session, false);
    NodeInfo hidden = outputs.get(LAST_HIDDEN_STATE);
    if (hidden == null) {
      throw new ModelLoadException(
          model,
          "no output '" + LAST_HIDDEN_STATE + "' (has " + outputs.keySet() + "); expected " + EXPECTED);
    }
    long[] shape = TextInputs.requireTensor(
        model, "output", hidden, OnnxJavaType.FLOAT, 3, "float [batch, seq, hidden]");
    TextInputs inputs = TextInputs.check(model, session, EXPECTED);
    return new EncoderSignature(inputs, shape[2] > 0 ? Math.toIntExact(shape[2]) : -1);
  }

  public boolean hasTokenTypeIds() {
    return inputs.hasTokenTypeIds();
  }
}
