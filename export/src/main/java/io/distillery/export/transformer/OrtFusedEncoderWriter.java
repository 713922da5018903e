package io.distillery.export.transformer;

import io.distillery.export.graph.ContribOp;
import io.distillery.export.graph.ElemType;
import io.distillery.export.graph.Op;
import io.distillery.export.graph.Ref;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * Writes a stack of bidirectional pre-LN encoder blocks, and the final layer norm, with ONNX
 * Runtime's fused contrib kernels ({@link ContribOp}): the same function as {@link
 * TransformerBlockWriter} plus a final {@code LayerNormalization}, in about 7 nodes a block instead
 * of about 30 (ONNX Runtime's own optimiser fuses the GELU but not the attention or the
 * residual-plus-norm of this graph). Per block, with the residual stream {@code h} and {@code x =
 * LN1(h)} carried in from the previous SkipLayerNormalization:
 *
 * <pre>
 *   a        = Attention(x, Wqkv, bqkv, mask)                 [B, T, D]  (heads, scale 1/sqrt(Dh))
 *   x2, h    = SkipLayerNorm(a · Wo, h, LN2, bias bo)          LN2(h + a Wo + bo) and that sum
 *   f        = BiasGelu(x2 · W1, b1) · W2
 *   x, h     = SkipLayerNorm(f, h, next LN1 or the final LN, bias b2)
 * </pre>
 *
 * The first norm adds the embeddings' two parts on the way ({@code SkipLayerNorm(tok, pos)}).
 * Masked keys get {@code -MASK_SCALE} added to their scores, as in the plain graph, so the two
 * agree to float rounding.
 */
public final class OrtFusedEncoderWriter {
  private final int heads;
  private final BlockWeightNames names;

  /**
   * @param heads attention heads H
   * @param names the per-block weight names below each block's prefix
   */
  public OrtFusedEncoderWriter(int heads, BlockWeightNames names) {
    this.heads = heads;
    this.names = names;
  }

  /**
   * The encoder's normalised output {@code [B, T, D]}.
   *
   * @param tokens token embeddings {@code [B, T, D]}
   * @param positions position embeddings {@code [T, D]} (added to every row)
   * @param mask the attention mask, int64 {@code [B, T]} of 1 (token) and 0 (padding)
   * @param weights graph values by name
   * @param prefixes each block's weight-name prefix, in order (empty: no blocks)
   * @param finalGamma the final layer norm's weight
   * @param finalBeta the final layer norm's bias
   */
  public Ref write(Ref tokens, Ref positions, Ref mask, Map<String, Ref> weights,
      List<String> prefixes, Ref finalGamma, Ref finalBeta) {
    if (prefixes.isEmpty()) {
      return skipNorm(tokens, positions, finalGamma, finalBeta, null, false).get(0);
    }
    Ref mask32 = mask.apply(Op.CAST, Map.of("to", ElemType.INT32));
    BlockWeightNames.BlockWeights first = names.resolve(weights, prefixes.get(0));
    List<Ref> xh = skipNorm(tokens, positions, first.ln1Weight(), first.ln1Bias(), null, true);
    for (int i = 0; i < prefixes.size(); i++) {
      BlockWeightNames.BlockWeights w = names.resolve(weights, prefixes.get(i));
      Ref x = xh.get(0);
      Ref h = xh.get(1);
      Ref a = x.graph().apply(ContribOp.ATTENTION, Arrays.asList(x, w.qkvWeight(), w.qkvBias(),
          mask32), Map.of("num_heads", (long) heads,
          "mask_filter_value", -TransformerBlockWriter.MASK_SCALE), 0).get(0);
      List<Ref> x2h = skipNorm(a.apply(Op.MATMUL, w.attnOutWeight()), h, w.ln2Weight(),
          w.ln2Bias(), w.attnOutBias(), true);
      Ref u = x2h.get(0).apply(Op.MATMUL, w.ffnInWeight());
      Ref g = u.graph().apply(ContribOp.BIAS_GELU, List.of(u, w.ffnInBias()), Map.of(), 0).get(0);
      Ref f = g.apply(Op.MATMUL, w.ffnOutWeight());
      boolean last = i == prefixes.size() - 1;
      if (last) {
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
