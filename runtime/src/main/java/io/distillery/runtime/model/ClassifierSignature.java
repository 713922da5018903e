package io.distillery.runtime.model;

import ai.onnxruntime.NodeInfo;
import ai.onnxruntime.OnnxJavaType;
import ai.onnxruntime.OrtSession;
import io.distillery.core.ModelLoadException;
import java.nio.file.Path;
import java.util.Map;

/**
 * The signature of a text classifier as Hugging Face Optimum exports it for {@code
 * text-classification}: {@link TextInputs} in, float {@code logits [batch, labels]} out.
 *
 * @param inputs the token inputs
 * @param numLabels the static size of the labels dimension, or -1 when it is symbolic
 */
public record ClassifierSignature(TextInputs inputs, int numLabels) {
  public static final String LOGITS = "logits";
  static final String EXPECTED = "a text classifier with a float logits [batch, labels] output";

  /**
   * Checks that {@code session} is a text classifier.
   *
   * @throws ModelLoadException e.g. {@code teacher/model.onnx: no output 'logits' (has
   *     [last_hidden_state]); expected a text classifier with a float logits [batch, labels]
   *     output}
   */
  public static ClassifierSignature check(Path model, OrtSession session) {
    Map<String, NodeInfo> outputs = TextInputs.info(model, session, false);
    NodeInfo logits = outputs.get(LOGITS);
    if (logits == null) {
      throw new ModelLoadException(
          model, "no output '" + LOGITS + "' (has " + outputs.keySet() + "); expected " + EXPECTED);
    }
    long[] shape =
        TextInputs.requireTensor(model, "output", logits, OnnxJavaType.FLOAT, 2, "float [batch, labels]");
    TextInputs inputs = TextInputs.check(model, session, EXPECTED);
    if (shape[1] == 0) {
      throw new ModelLoadException(model, "output 'logits' has 0 labels; expected " + EXPECTED);
    }
    return new ClassifierSignature(inputs, shape[1] > 0 ? Math.toIntExact(shape[1]) : -1);
  }

  public boolean hasTokenTypeIds() {
    return inputs.hasTokenTypeIds();
  }
}
