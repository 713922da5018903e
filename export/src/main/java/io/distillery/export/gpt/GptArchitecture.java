package io.distillery.export.gpt;

import io.distillery.core.ConfigException;
import io.distillery.export.transformer.BlockWeightNames;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The dimensions of a GPT-2-layout decoder as the exporter sees them, and the names and shapes of
 * its weights: the contract between the DJL model (train/), its ONNX file and weight import.
 *
 * @param layers transformer blocks L
 * @param width model width C
 * @param heads attention heads H (C divisible by H)
 * @param context rows of the position table (longest sequence)
 * @param vocab rows of the token table V
 */
public record GptArchitecture(int layers, int width, int heads, int context, int vocab) {
  /** A block's weight names below {@link #blockPrefix} (Hugging Face GPT-2 names). */
  public static final BlockWeightNames BLOCK_WEIGHTS = new BlockWeightNames("ln_1.weight",
      "ln_1.bias", "attn.c_attn.weight", "attn.c_attn.bias", "attn.c_proj.weight",
      "attn.c_proj.bias", "ln_2.weight", "ln_2.bias", "mlp.c_fc.weight", "mlp.c_fc.bias",
      "mlp.c_proj.weight", "mlp.c_proj.bias");

  public GptArchitecture {
    if (layers <= 0 || width <= 0 || heads <= 0 || context <= 0 || vocab <= 0) {
      throw new ConfigException("GPT dimensions must all be > 0, got layers " + layers + ", width "
          + width + ", heads " + heads + ", context " + context + ", vocab " + vocab);
    }
    if (width % heads != 0) {
      throw new ConfigException(
          "width must be divisible by heads, got width " + width + " and heads " + heads);
    }
  }

  /** The prefix of block {@code i}'s weight names: {@code transformer.h.{i}.}. */
  public static String blockPrefix(int layer) {
    return "transformer.h." + layer + ".";
  }

  public int headDim() {
    return width / heads;
  }

  /**
   * Every weight under its Hugging Face GPT-2 name with its shape, in a fixed order. Dense
   * weights are {@code [in, out]} (GPT-2's Conv1D layout); the output projection is the token
   * table itself.
   */
  public Map<String, long[]> weightShapes() {
    long c = width;
    Map<String, long[]> out = new LinkedHashMap<>();
    out.put("transformer.wte.weight", new long[] {vocab, c});
    out.put("transformer.wpe.weight", new long[] {context, c});
    for (int i = 0; i < layers; i++) {
      String p = blockPrefix(i);
      out.put(p + "ln_1.weight", new long[] {c});
      out.put(p + "ln_1.bias", new long[] {c});
      out.put(p + "attn.c_attn.weight", new long[] {c, 3 * c});
      out.put(p + "attn.c_attn.bias", new long[] {3 * c});
      out.put(p + "attn.c_proj.weight", new long[] {c, c});
      out.put(p + "attn.c_proj.bias", new long[] {c});
      out.put(p + "ln_2.weight", new long[] {c});
      out.put(p + "ln_2.bias", new long[] {c});
      out.put(p + "mlp.c_fc.weight", new long[] {c, 4 * c});
      out.put(p + "mlp.c_fc.bias", new long[] {4 * c});
      out.put(p + "mlp.c_proj.weight", new long[] {4 * c, c});
      out.put(p + "mlp.c_proj.bias", new long[] {c});
    }
    out.put("transformer.ln_f.weight", new long[] {c});
    out.put("transformer.ln_f.bias", new long[] {c});
    return out;
  }
}
