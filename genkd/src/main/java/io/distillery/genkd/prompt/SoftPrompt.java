package io.distillery.genkd.prompt;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.initializer.Initializer;
import io.distillery.core.ConfigException;
import io.distillery.train.gpt.GptModel;
import java.util.Map;

/**
 * The PromptKD soft prompt: {@code K} trainable vectors of the teacher's width put before the
 * teacher's input embeddings ({@link GptModel#logitsAfterPrompt}), the only teacher numbers that
 * change. Initialised from the teacher's own token embeddings of an initialisation text (the
 * paper's "Suppose you are a student."), its tokens repeated or cut to {@code K}.
 */
public final class SoftPrompt {
  /** The parameter's name in checkpoints and logs. */
  public static final String NAME = "soft_prompt";

  private final Parameter parameter;

  private SoftPrompt(Parameter parameter) {
    this.parameter = parameter;
  }

  /**
   * A prompt of {@code k} rows copied from the teacher's token table at {@code initIds}
   * (repeated or cut to k).
   *
   * @param initIds token ids of the initialisation text, at least one
   */
  public static SoftPrompt fromTokens(GptModel teacher, NDManager manager, int k, long[] initIds) {
    if (k < 1) {
      throw new ConfigException("prompt tokens must be >= 1, got " + k);
    }
    if (initIds.length == 0) {
      throw new ConfigException("the prompt initialisation text has no tokens");
    }
    int c = teacher.config().width();
    Parameter p = Parameter.builder().setName(NAME).setType(Parameter.Type.WEIGHT)
        .optShape(new Shape(k, c)).optInitializer(Initializer.ZEROS).build();
    p.initialize(manager, DataType.FLOAT32);
    float[] table = teacher.namedParameters().get("transformer.wte.weight").getArray()
        .toFloatArray();
    float[] values = new float[k * c];
    for (int i = 0; i < k; i++) {
      int id = (int) initIds[i % initIds.length];
      System.arraycopy(table, id * c, values, i * c, c);
    }
    p.getArray().set(values);
    return new SoftPrompt(p);
  }

  public Parameter parameter() {
    return parameter;
  }

  /** The prompt {@code [K, C]}. */
  public NDArray array() {
    return parameter.getArray();
  }

  /** Virtual tokens K. */
  public int length() {
    return (int) parameter.getShape().get(0);
  }

  /** Trainable numbers K x C. */
  public long size() {
    return parameter.getShape().size();
  }

  /** The one parameter by name, for {@link io.distillery.train.gpt.AdamW} and checkpoints. */
  public Map<String, Parameter> asMap() {
    return Map.of(NAME, parameter);
  }
}
