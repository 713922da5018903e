package io.distillery.train.gpt;

import io.distillery.core.ConfigException;
import io.distillery.export.gpt.GptArchitecture;

/**
 * The shape of a GPT decoder: {@code layers} pre-LN transformer blocks of {@code width} channels
 * split into {@code heads} attention heads, a learned position table of {@code context} rows and
 * a token table of {@code vocab} rows that is also the output projection (tied).
 *
 * @param layers transformer blocks, at least 1
 * @param width model width C (embedding size), divisible by {@code heads}
 * @param heads attention heads H; head size D = C / H
 * @param context longest sequence (positions) the model can see
 * @param vocab token ids the model reads and predicts, V
 */
public record GptConfig(int layers, int width, int heads, int context, int vocab) {
  public GptConfig {
    positive("layers", layers);
    positive("width", width);
    positive("heads", heads);
    positive("context", context);
    positive("vocab", vocab);
    if (width % heads != 0) {
      throw new ConfigException(
          "width must be divisible by heads (head size = width / heads), got width " + width
              + " and heads " + heads);
    }
  }

  /** The same dimensions as the exporter and weight import see them. */
  public GptArchitecture architecture() {
    return new GptArchitecture(layers, width, heads, context, vocab);
  }

  /** Head size D = C / H. */
  public int headDim() {
    return width / heads;
  }

  /** Trainable parameters (the output projection is tied to the token table). */
  public long parameterCount() {
    long c = width;
    long perBlock = 2 * 2 * c // two layer norms
        + c * 3 * c + 3 * c // c_attn
        + c * c + c // attn c_proj
        + c * 4 * c + 4 * c // c_fc
        + 4 * c * c + c; // mlp c_proj
    return (long) vocab * c + (long) context * c + layers * perBlock + 2 * c;
  }

  private static void positive(String name, int value) {
    if (value <= 0) {
      throw new ConfigException(name + " must be > 0, got " + value);
    }
  }
}
