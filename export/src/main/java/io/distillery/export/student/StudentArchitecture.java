package io.distillery.export.student;

import io.distillery.core.ConfigException;
import io.distillery.export.transformer.BlockWeightNames;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The dimensions of a student encoder classifier as the exporter sees them, and the names and
 * shapes of its weights: the contract between the DJL student (train/), its ONNX file and any
 * reader of its weights.
 *
 * <p>The model: token embeddings ({@code [V, D]}, or ALBERT-style factorised {@code [V, E] x
 * [E, D]} when {@code embeddingDim > 0}) plus learned positions {@code [maxLength, D]}; {@code
 * layers} pre-LN transformer encoder layers (self-attention with a padding mask, exact-GELU
 * feed-forward); a final layer norm; masked mean pooling; a linear head to {@code numLabels}
 * logits. Dense weights are stored {@code [in, out]}, the layout ONNX {@code MatMul} takes.
 *
 * @param layers transformer encoder layers N (0 gives a pooled bag of embeddings)
 * @param width model width D
 * @param heads attention heads H (D divisible by H)
 * @param ffnWidth hidden width F of the feed-forward net
 * @param maxLength rows of the position table: the longest input, special tokens included
 * @param vocabSize rows of the token table V (the teacher tokenizer's vocabulary)
 * @param numLabels classes L
 * @param embeddingDim factorised embedding width E, 0 for none ({@code [V, D]} directly)
 */
public record StudentArchitecture(int layers, int width, int heads, int ffnWidth, int maxLength,
    int vocabSize, int numLabels, int embeddingDim) {
  public static final String WORD_EMBEDDINGS = "embeddings.word_embeddings.weight";
  public static final String WORD_PROJECTION = "embeddings.word_projection.weight";
  public static final String POSITION_EMBEDDINGS = "embeddings.position_embeddings.weight";
  public static final String FINAL_NORM_WEIGHT = "encoder.final_norm.weight";
  public static final String FINAL_NORM_BIAS = "encoder.final_norm.bias";
  public static final String CLASSIFIER_WEIGHT = "classifier.weight";
  public static final String CLASSIFIER_BIAS = "classifier.bias";

  /** Per-layer weight names: {@code encoder.layer.{i}.} + one of these suffixes. */
  public static final String LN1_WEIGHT = "attention_norm.weight";
  public static final String LN1_BIAS = "attention_norm.bias";
  public static final String QKV_WEIGHT = "attention.qkv.weight";
  public static final String QKV_BIAS = "attention.qkv.bias";
  public static final String ATTN_OUT_WEIGHT = "attention.output.weight";
  public static final String ATTN_OUT_BIAS = "attention.output.bias";
  public static final String LN2_WEIGHT = "ffn_norm.weight";
  public static final String LN2_BIAS = "ffn_norm.bias";
  public static final String FFN_IN_WEIGHT = "ffn.intermediate.weight";
  public static final String FFN_IN_BIAS = "ffn.intermediate.bias";
  public static final String FFN_OUT_WEIGHT = "ffn.output.weight";
  public static final String FFN_OUT_BIAS = "ffn.output.bias";
  /** The per-layer suffixes as the shared transformer block writer takes them. */
  public static final BlockWeightNames BLOCK_WEIGHTS = new BlockWeightNames(LN1_WEIGHT, LN1_BIAS,
      QKV_WEIGHT, QKV_BIAS, ATTN_OUT_WEIGHT, ATTN_OUT_BIAS, LN2_WEIGHT, LN2_BIAS, FFN_IN_WEIGHT,
      FFN_IN_BIAS, FFN_OUT_WEIGHT, FFN_OUT_BIAS);

  public StudentArchitecture {
    if (layers < 0) {
      throw new ConfigException("student layers must be >= 0, got " + layers);
    }
    if (width <= 0 || heads <= 0 || ffnWidth <= 0 || maxLength <= 0 || vocabSize <= 0) {
      throw new ConfigException("student width, heads, ffnWidth, maxLength and vocabSize must be"
          + " > 0, got width " + width + ", heads " + heads + ", ffnWidth " + ffnWidth
          + ", maxLength " + maxLength + ", vocabSize " + vocabSize);
    }
    if (numLabels < 2) {
      throw new ConfigException("student numLabels must be >= 2, got " + numLabels);
    }
    if (width % heads != 0) {
      throw new ConfigException(
          "student width must be divisible by heads, got width " + width + " and heads " + heads);
    }
    if (embeddingDim < 0) {
      throw new ConfigException(
          "student embeddingDim must be >= 0 (0 = no factorisation), got " + embeddingDim);
    }
  }

  public int headDim() {
    return width / heads;
  }

  /** Whether token embeddings are factorised as {@code [V, E] x [E, D]}. */
  public boolean factorised() {
    return embeddingDim > 0;
  }

  /** The width of the token table's rows: E when factorised, else D. */
  public int tokenTableWidth() {
    return factorised() ? embeddingDim : width;
  }

  /** The name of layer {@code i}'s weight with the given suffix (one of the constants). */
  public static String layerWeight(int layer, String suffix) {
    return layerPrefix(layer) + suffix;
  }

  /** The prefix of layer {@code i}'s weight names: {@code encoder.layer.{i}.}. */
  public static String layerPrefix(int layer) {
    return "encoder.layer." + layer + ".";
  }

  /** Every weight under its name with its shape, in a fixed order (also the ONNX order). */
  public Map<String, long[]> weightShapes() {
    long d = width;
    long f = ffnWidth;
    Map<String, long[]> out = new LinkedHashMap<>();
    out.put(WORD_EMBEDDINGS, new long[] {vocabSize, tokenTableWidth()});
    if (factorised()) {
      out.put(WORD_PROJECTION, new long[] {embeddingDim, d});
    }
    out.put(POSITION_EMBEDDINGS, new long[] {maxLength, d});
    for (int i = 0; i < layers; i++) {
      out.put(layerWeight(i, LN1_WEIGHT), new long[] {d});
      out.put(layerWeight(i, LN1_BIAS), new long[] {d});
      out.put(layerWeight(i, QKV_WEIGHT), new long[] {d, 3 * d});
      out.put(layerWeight(i, QKV_BIAS), new long[] {3 * d});
      out.put(layerWeight(i, ATTN_OUT_WEIGHT), new long[] {d, d});
      out.put(layerWeight(i, ATTN_OUT_BIAS), new long[] {d});
      out.put(layerWeight(i, LN2_WEIGHT), new long[] {d});
      out.put(layerWeight(i, LN2_BIAS), new long[] {d});
      out.put(layerWeight(i, FFN_IN_WEIGHT), new long[] {d, f});
      out.put(layerWeight(i, FFN_IN_BIAS), new long[] {f});
      out.put(layerWeight(i, FFN_OUT_WEIGHT), new long[] {f, d});
      out.put(layerWeight(i, FFN_OUT_BIAS), new long[] {d});
    }
    out.put(FINAL_NORM_WEIGHT, new long[] {d});
    out.put(FINAL_NORM_BIAS, new long[] {d});
    out.put(CLASSIFIER_WEIGHT, new long[] {d, numLabels});
    out.put(CLASSIFIER_BIAS, new long[] {numLabels});
    return out;
  }

  /** The number of trainable parameters (every weight's element count). */
  public long parameterCount() {
    long n = 0;
    for (long[] shape : weightShapes().values()) {
      long k = 1;
      for (long s : shape) {
        k *= s;
      }
      n += k;
    }
    return n;
  }

  /**
   * The architecture a {@link #summary()} describes (the {@code distillery.architecture} metadata
   * of an exported student).
   *
   * @throws ConfigException if a field is missing or not a number
   */
  public static StudentArchitecture fromSummary(String summary) {
    Map<String, Integer> f = new java.util.HashMap<>();
    for (String part : summary.split(",")) {
      String[] kv = part.split("=", 2);
      try {
        f.put(kv[0].trim(), kv.length == 2 ? Integer.parseInt(kv[1].trim()) : null);
      } catch (NumberFormatException e) {
        throw new ConfigException("student architecture '" + summary + "': " + part + " is not a number");
      }
    }
    for (String k : List.of("layers", "width", "heads", "ffnWidth", "maxLength", "vocabSize",
        "numLabels", "embeddingDim")) {
      if (f.get(k) == null) {
        throw new ConfigException("student architecture '" + summary + "' has no " + k);
      }
    }
    return new StudentArchitecture(f.get("layers"), f.get("width"), f.get("heads"),
        f.get("ffnWidth"), f.get("maxLength"), f.get("vocabSize"), f.get("numLabels"),
        f.get("embeddingDim"));
  }

  /** A one-line summary for metadata and logs, e.g. {@code layers=4,width=128,...}. */
  public String summary() {
    return "layers=" + layers + ",width=" + width + ",heads=" + heads + ",ffnWidth=" + ffnWidth
        + ",maxLength=" + maxLength + ",vocabSize=" + vocabSize + ",numLabels=" + numLabels
        + ",embeddingDim=" + embeddingDim;
  }
}
