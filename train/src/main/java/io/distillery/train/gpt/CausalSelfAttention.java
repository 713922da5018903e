package io.distillery.train.gpt;

import io.distillery.train.nn.GraphScalar;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;

/**
 * Multi-head causal self-attention with an optional key/value cache.
 *
 * <p>{@code c_attn} projects {@code x [B, T, C]} to queries, keys and values ({@code [B, T, 3C]},
 * split in that order); heads are {@code [B, H, T, D]}; past keys/values {@code [B, H, P, D]} are
 * prepended, giving {@code [B, H, S, D]} with {@code S = P + T}; scores {@code q k^T / sqrt(D)}
 * plus an additive bias {@code [B or 1, 1, T, S]} (0 where allowed, {@value GptModel#MASKED}
 * where not) go through a softmax; {@code c_proj} maps the merged heads back to {@code [B, T, C]}.
 */
public final class CausalSelfAttention extends AbstractBlock {
  private final GptConfig config;
  private final GptLinear qkv;
  private final GptLinear proj;

  /** The block's output and the keys/values a later step may reuse. */
  public record Output(NDArray y, NDArray key, NDArray value) {}

  public CausalSelfAttention(GptConfig config) {
    this.config = config;
    int c = config.width();
    qkv = addChildBlock("c_attn", new GptLinear(c, 3 * c, 0.02f));
    proj = addChildBlock("c_proj",
        new GptLinear(c, c, (float) (0.02 / Math.sqrt(2.0 * config.layers()))));
  }

  public GptLinear qkv() {
    return qkv;
  }

  public GptLinear proj() {
    return proj;
  }

  /**
   * @param x {@code [B, T, C]}
   * @param bias additive attention bias {@code [B or 1, 1, T, S]}
   * @param pastKey {@code [B, H, P, D]} or null for no cache
   * @param pastValue {@code [B, H, P, D]} or null for no cache
   */
  public Output apply(ParameterStore ps, NDArray x, NDArray bias, NDArray pastKey,
      NDArray pastValue, boolean training) {
    long b = x.getShape().get(0);
    long t = x.getShape().get(1);
    int h = config.heads();
    int d = config.headDim();
    NDList parts = qkv.apply(ps, x, training).split(3, 2); // 3 x [B, T, C]
    NDArray q = heads(parts.get(0), b, t, h, d); // [B, H, T, D]
    NDArray k = heads(parts.get(1), b, t, h, d);
    NDArray v = heads(parts.get(2), b, t, h, d);
    if (pastKey != null) {
      k = pastKey.concat(k, 2); // [B, H, S, D]
      v = pastValue.concat(v, 2);
    }
    NDArray raw = q.matMul(k.transpose(0, 1, 3, 2));
    // an engine-owned scalar: DJL frees a plain Number operand before backward reads it
    NDArray scores = raw.mul(GraphScalar.of(raw, (float) (1.0 / Math.sqrt(d)))).add(bias);
    NDArray att = scores.softmax(-1); // [B, H, T, S]
    NDArray y = att.matMul(v).transpose(0, 2, 1, 3).reshape(b, t, config.width()); // [B, T, C]
    return new Output(proj.apply(ps, y, training), k, v);
  }

  private static NDArray heads(NDArray x, long b, long t, int h, int d) {
    return x.reshape(b, t, h, d).transpose(0, 2, 1, 3);
  }

  @Override
  protected NDList forwardInternal(
      ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
    NDArray pastKey = inputs.size() > 2 ? inputs.get(2) : null;
    NDArray pastValue = inputs.size() > 3 ? inputs.get(3) : null;
    Output out = apply(ps, inputs.get(0), inputs.get(1), pastKey, pastValue, training);
    return new NDList(out.y(), out.key(), out.value());
  }

  @Override
  protected void initializeChildBlocks(
      ai.djl.ndarray.NDManager manager, DataType dataType, Shape... inputShapes) {
    for (ai.djl.nn.Block child : getChildren().values()) {
      child.initialize(manager, dataType, inputShapes); // every parameter has a fixed shape
    }
  }

  @Override
  public Shape[] getOutputShapes(Shape[] inputShapes) {
    return new Shape[] {inputShapes[0]};
  }
}
