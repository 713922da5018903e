package io.distillery.export.transformer;

import io.distillery.export.graph.ContribOp;
import io.distillery.export.graph.ElemType;
import io.distillery.export.graph.Op;
import io.distillery.export.graph.Ref;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * Writes a stack of pre-LN transformer blocks, and the final layer norm, with ONNX Runtime's
 * fused contrib kernels ({@link ContribOp}): the function {@link TransformerBlockWriter} writes
 * plus a final {@code LayerNormalization}, in 6 to 9 nodes a block instead of about 30 (ONNX
 * Runtime's own optimiser fuses the GELU but neither the attention nor the residual-plus-norm of
 * those graphs). Per block, with the residual stream {@code h} and {@code x = LN1(h)} carried in
 * from the previous SkipLayerNormalization:
 *
 * <pre>
 *   a        = attention(x)                                   [B, T, D]  (see below)
 *   x2, h    = SkipLayerNorm(a · Wo, h, LN2, bias bo)          LN2(h + a Wo + bo) and that sum
 *   f        = BiasGelu(x2 · W1, b1) · W2
 *   x, h     = SkipLayerNorm(f, h, next LN1 or the final LN, bias b2)
 * </pre>
 *
 * The first norm adds the embeddings' two parts on the way ({@code SkipLayerNorm(tok, pos)}).
 * Attention is either {@link #bidirectional} (an encoder with a padding mask: one {@code
 * Attention} node, projection included) or {@link #causal} (a decoder with a key/value cache:
 * the projection, then {@code MultiHeadAttention} over past and new keys with the additive bias
 * the plain graph uses). Masked scores get {@code -MASK_SCALE} as in the plain graph, so the two
 * agree to float rounding.
 */
public final class OrtFusedStackWriter {
  private final int width;
  private final int heads;
  private final BlockWeightNames names;
  private final Attention attention;
  private final List<Ref> presentKeys = new ArrayList<>();
  private final List<Ref> presentValues = new ArrayList<>();
  private final List<Ref> sliceBounds = new ArrayList<>();

  /** One block's attention, before the output projection: {@code x [B, T, D]} to the same. */
  private interface Attention {
    Ref apply(OrtFusedStackWriter w, int layer, Ref x, BlockWeightNames.BlockWeights weights);
  }

  private OrtFusedStackWriter(int width, int heads, BlockWeightNames names, Attention attention) {
    this.width = width;
    this.heads = heads;
    this.names = names;
    this.attention = attention;
  }

  /**
   * Bidirectional self-attention with a padding mask (an encoder).
   *
   * @param mask the attention mask, int64 {@code [B, T]} of 1 (token) and 0 (padding)
   */
  public static OrtFusedStackWriter bidirectional(int width, int heads, BlockWeightNames names,
      Ref mask) {
    Ref mask32 = mask.apply(Op.CAST, Map.of("to", ElemType.INT32));
    return new OrtFusedStackWriter(width, heads, names, (w, layer, x, b) ->
        x.graph().apply(ContribOp.ATTENTION, Arrays.asList(x, b.qkvWeight(), b.qkvBias(), mask32),
            Map.of("num_heads", (long) heads,
                "mask_filter_value", -TransformerBlockWriter.MASK_SCALE), 0).get(0));
  }

  /**
   * Self-attention over past and new keys/values with an additive bias (a decoder with a cache);
   * {@link #presentKeys()} and {@link #presentValues()} then hold each layer's keys/values
   * {@code [B, H, P + T, Dh]}.
   *
   * @param bias the additive attention bias {@code [B, 1, T, P + T]} (causal and padding)
   * @param pastKeys each layer's past keys {@code [B, H, P, Dh]}
   * @param pastValues each layer's past values
   */
  public static OrtFusedStackWriter causal(int width, int heads, BlockWeightNames names, Ref bias,
      List<Ref> pastKeys, List<Ref> pastValues) {
    return new OrtFusedStackWriter(width, heads, names, (w, layer, x, b) -> {
      Ref qkv = x.apply(Op.MATMUL, b.qkvWeight()); // [B, T, 3D], the bias goes into MHA
      List<Ref> parts = w.split(qkv);
      List<Ref> out = x.graph().apply(ContribOp.MULTI_HEAD_ATTENTION, Arrays.asList(parts.get(0),
          parts.get(1), parts.get(2), b.qkvBias(), null, bias, pastKeys.get(layer),
          pastValues.get(layer)), Map.of("num_heads", (long) heads), 0, 1, 2);
      w.presentKeys.add(out.get(1));
      w.presentValues.add(out.get(2));
      return out.get(0);
    });
  }

  /** q, k, v: the three {@code [B, T, D]} parts of a {@code [B, T, 3D]} projection. */
  private List<Ref> split(Ref qkv) {
    if (sliceBounds.isEmpty()) { // shared by every block
      for (int i = 0; i < 3; i++) {
        sliceBounds.add(qkv.graph().vector("qkv_start_" + i, i * (long) width));
        sliceBounds.add(qkv.graph().vector("qkv_end_" + i, (i + 1) * (long) width));
      }
      sliceBounds.add(qkv.graph().vector("qkv_axis", 2));
    }
    List<Ref> parts = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      parts.add(qkv.apply(Op.SLICE, sliceBounds.get(2 * i), sliceBounds.get(2 * i + 1),
          sliceBounds.get(6)));
    }
    return parts;
  }

  /** Each layer's keys after {@link #write} of a {@link #causal} stack. */
  public List<Ref> presentKeys() {
    return List.copyOf(presentKeys);
  }

  /** Each layer's values after {@link #write} of a {@link #causal} stack. */
  public List<Ref> presentValues() {
    return List.copyOf(presentValues);
  }

  /**
   * The stack's normalised output {@code [B, T, D]}.
   *
   * @param tokens token embeddings {@code [B, T, D]}
   * @param positions position embeddings {@code [T, D]} or {@code [B, T, D]}
   * @param weights graph values by name
   * @param prefixes each block's weight-name prefix, in order (empty: no blocks)
   * @param finalGamma the final layer norm's weight
   * @param finalBeta the final layer norm's bias
   */
  public Ref write(Ref tokens, Ref positions, Map<String, Ref> weights, List<String> prefixes,
      Ref finalGamma, Ref finalBeta) {
    if (prefixes.isEmpty()) {
      return skipNorm(tokens, positions, finalGamma, finalBeta, null, false).get(0);
    }
    BlockWeightNames.BlockWeights first = names.resolve(weights, prefixes.get(0));
    List<Ref> xh = skipNorm(tokens, positions, first.ln1Weight(), first.ln1Bias(), null, true);
    for (int i = 0; i < prefixes.size(); i++) {
      BlockWeightNames.BlockWeights w = names.resolve(weights, prefixes.get(i));
      Ref a = attention.apply(this, i, xh.get(0), w);
      List<Ref> x2h = skipNorm(a.apply(Op.MATMUL, w.attnOutWeight()), xh.get(1), w.ln2Weight(),
          w.ln2Bias(), w.attnOutBias(), true);
      Ref u = x2h.get(0).apply(Op.MATMUL, w.ffnInWeight());
      Ref g = u.graph().apply(ContribOp.BIAS_GELU, List.of(u, w.ffnInBias()), Map.of(), 0).get(0);
      Ref f = g.apply(Op.MATMUL, w.ffnOutWeight());
      if (i == prefixes.size() - 1) {
        return skipNorm(f, x2h.get(1), finalGamma, finalBeta, w.ffnOutBias(), false).get(0);
      }
      BlockWeightNames.BlockWeights next = names.resolve(weights, prefixes.get(i + 1));
      xh = skipNorm(f, x2h.get(1), next.ln1Weight(), next.ln1Bias(), w.ffnOutBias(), true);
    }
    throw new AssertionError("unreachable");
  }

  /** LN(x + skip [+ bias]) and, when {@code withSum}, the sum itself. */
  private static List<Ref> skipNorm(Ref x, Ref skip, Ref gamma, Ref beta, Ref bias,
      boolean withSum) {
    List<Ref> in = bias == null ? List.of(x, skip, gamma, beta)
        : List.of(x, skip, gamma, beta, bias);
    Map<String, ?> eps = Map.of("epsilon", TransformerBlockWriter.LN_EPS);
    return withSum ? x.graph().apply(ContribOp.SKIP_LAYER_NORMALIZATION, in, eps, 0, 3)
        : x.graph().apply(ContribOp.SKIP_LAYER_NORMALIZATION, in, eps, 0);
  }
}
