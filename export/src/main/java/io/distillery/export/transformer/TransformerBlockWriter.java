package io.distillery.export.transformer;

import io.distillery.export.graph.OnnxGraph;
import io.distillery.export.graph.Op;
import io.distillery.export.graph.Ref;
import java.util.Map;

/**
 * Writes pre-LN transformer blocks into an {@link OnnxGraph}: {@code h + attn(LN1(h))}, then
 * {@code h + W2 gelu(W1 LN2(h))}, with multi-head scaled dot-product attention over a fused
 * {@code [in, 3 * width]} query/key/value projection and exact (erf) GELU. The GPT decoder (with
 * a key/value cache and a causal bias) and the student encoder (bidirectional, padding bias)
 * both write their blocks with it; the DJL models compute the same ops in the same order.
 *
 * <p>One writer per graph: it adds the constants every block shares (slice bounds, head shapes,
 * the attention scale, the GELU constants) once, when constructed.
 */
public final class TransformerBlockWriter {
  /** Layer-norm epsilon (DJL and ONNX, GPT-2 and student). */
  public static final float LN_EPS = 1e-5f;
  /** Masked attention scores get {@code -MASK_SCALE} added (DJL and ONNX). */
  public static final float MASK_SCALE = 1e9f;

  private final BlockWeightNames names;
  private final Ref[] sliceStarts = new Ref[3];
  private final Ref[] sliceEnds = new Ref[3];
  private final Ref sliceAxis;
  private final Ref splitHeads;
  private final Ref mergeHeads;
  private final Ref scale;
  private final Ref half;
  private final Ref sqrt2;
  private final Ref one;

  /** One block's output {@code [B, T, W]} and its keys and values {@code [B, H, S, Dh]}. */
  public record Output(Ref hidden, Ref key, Ref value) {}

  /**
   * @param width model width W (divisible by {@code heads})
   * @param heads attention heads H
   * @param names the per-block weight names below each block's prefix
   */
  public TransformerBlockWriter(OnnxGraph g, int width, int heads, BlockWeightNames names) {
    this.names = names;
    long w = width;
    int headDim = width / heads;
    for (int i = 0; i < 3; i++) {
      sliceStarts[i] = g.vector("qkv_start_" + i, i * w);
      sliceEnds[i] = g.vector("qkv_end_" + i, (i + 1) * w);
    }
    sliceAxis = g.vector("qkv_axis", 2);
    splitHeads = g.vector("split_heads_shape", 0, 0, heads, headDim);
    mergeHeads = g.vector("merge_heads_shape", 0, 0, w);
    scale = g.scalar("attention_scale", (float) (1.0 / Math.sqrt(headDim)));
    half = g.scalar("gelu_half", 0.5f);
    sqrt2 = g.scalar("gelu_sqrt2", (float) Math.sqrt(2.0));
    one = g.scalar("gelu_one", 1f);
  }

  /** {@code LayerNormalization} over the last axis with epsilon {@value #LN_EPS}. */
  public static Ref layerNorm(Ref x, Ref gamma, Ref beta) {
    return x.apply(Op.LAYER_NORMALIZATION, Map.of("axis", -1L, "epsilon", LN_EPS), gamma, beta);
  }

  /**
   * The additive attention bias {@code (allowed - 1) * MASK_SCALE}: 0 where {@code allowed} is 1,
   * {@code -MASK_SCALE} where it is 0. Call it at most once per graph (its constants have fixed
   * names).
   */
  public static Ref maskBias(OnnxGraph g, Ref allowed) {
    return allowed.apply(Op.SUB, g.scalar("mask_one", 1f))
        .apply(Op.MUL, g.scalar("mask_scale", MASK_SCALE));
  }

  /** One block without a cache: {@code [B, T, W]} to {@code [B, T, W]}. */
  public Ref write(Ref h, Ref bias, Map<String, Ref> weights, String prefix) {
    return write(h, bias, weights, prefix, null, null).hidden();
  }

  /**
   * One block.
   *
   * @param h the block's input {@code [B, T, W]}
   * @param bias additive attention bias, broadcast to {@code [B, H, T, S]}
   * @param weights graph values by name; the block's are {@code prefix + } its {@link
   *     BlockWeightNames}
   * @param pastKey keys {@code [B, H, P, Dh]} to put before the new ones, or null for none
   * @param pastValue values {@code [B, H, P, Dh]}, or null for none
   * @return the output and the keys/values attended over ({@code S = P + T})
   */
  public Output write(Ref h, Ref bias, Map<String, Ref> weights, String prefix, Ref pastKey,
      Ref pastValue) {
    BlockWeightNames.BlockWeights w = names.resolve(weights, prefix);
    Ref x = layerNorm(h, w.ln1Weight(), w.ln1Bias());
    Ref qkv = dense(x, w.qkvWeight(), w.qkvBias());
    Ref q = heads(slice(qkv, 0)); // [B, H, T, Dh]
    Ref k = heads(slice(qkv, 1));
    Ref v = heads(slice(qkv, 2));
    if (pastKey != null) {
      k = pastKey.apply(Op.CONCAT, Map.of("axis", 2L), k); // [B, H, S, Dh]
      v = pastValue.apply(Op.CONCAT, Map.of("axis", 2L), v);
    }
    Ref kT = k.apply(Op.TRANSPOSE, Map.of("perm", new long[] {0, 1, 3, 2}));
    Ref att = q.apply(Op.MATMUL, kT).apply(Op.MUL, scale).apply(Op.ADD, bias)
        .apply(Op.SOFTMAX, Map.of("axis", -1L)); // [B, H, T, S]
    Ref y = att.apply(Op.MATMUL, v)
        .apply(Op.TRANSPOSE, Map.of("perm", new long[] {0, 2, 1, 3}))
        .apply(Op.RESHAPE, mergeHeads); // [B, T, W]
    Ref h2 = h.apply(Op.ADD, dense(y, w.attnOutWeight(), w.attnOutBias()));
    Ref x2 = layerNorm(h2, w.ln2Weight(), w.ln2Bias());
    Ref u = dense(x2, w.ffnInWeight(), w.ffnInBias()); // [B, T, F]
    // 0.5 u (1 + erf(u / sqrt 2)) in exactly the shape ONNX Runtime's GeluFusion matches (a Div
    // by sqrt 2, not a Mul by its inverse), so ORT runs one Gelu (or BiasGelu) kernel instead of 5
    Ref gelu = u.apply(Op.MUL, half)
        .apply(Op.MUL, u.apply(Op.DIV, sqrt2).apply(Op.ERF).apply(Op.ADD, one));
    return new Output(h2.apply(Op.ADD, dense(gelu, w.ffnOutWeight(), w.ffnOutBias())), k, v);
  }

  private Ref slice(Ref qkv, int part) {
    return qkv.apply(Op.SLICE, sliceStarts[part], sliceEnds[part], sliceAxis); // [B, T, W]
  }

  private Ref heads(Ref x) {
    return x.apply(Op.RESHAPE, splitHeads)
        .apply(Op.TRANSPOSE, Map.of("perm", new long[] {0, 2, 1, 3})); // [B, H, T, Dh]
  }

  private static Ref dense(Ref x, Ref weight, Ref bias) {
    return x.apply(Op.MATMUL, weight).apply(Op.ADD, bias);
  }
}
