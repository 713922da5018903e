package io.distillery.train.student;

import io.distillery.train.nn.GraphScalar;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Block;
import ai.djl.nn.norm.Dropout;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;

/**
 * One pre-LN transformer encoder layer: {@code h = x + drop(attn(LN1(x)))}, then {@code h +
 * drop(W2 gelu(W1 LN2(h)))}. Self-attention is bidirectional; padding keys are masked with an
 * additive bias. {@code [B, T, D]} to {@code [B, T, D]}.
 */
final class EncoderLayer extends AbstractBlock {
  private final StudentConfig config;
  private final StudentLayerNorm ln1;
  private final StudentDense qkv;
  private final StudentDense attnOut;
  private final StudentLayerNorm ln2;
  private final StudentDense ffnIn;
  private final StudentDense ffnOut;
  private final float scale;

  EncoderLayer(StudentConfig config) {
    this.config = config;
    int d = config.width();
    float outStd = (float) (0.02 / Math.sqrt(2.0 * Math.max(1, config.layers())));
    ln1 = addChildBlock("attention_norm", new StudentLayerNorm(d));
    qkv = addChildBlock("qkv", new StudentDense(d, 3 * d, 0.02f));
    attnOut = addChildBlock("attention_output", new StudentDense(d, d, outStd));
    ln2 = addChildBlock("ffn_norm", new StudentLayerNorm(d));
    ffnIn = addChildBlock("ffn_intermediate", new StudentDense(d, config.ffnWidth(), 0.02f));
    ffnOut = addChildBlock("ffn_output", new StudentDense(config.ffnWidth(), d, outStd));
    scale = (float) (1.0 / Math.sqrt(config.headDim()));
  }

  StudentLayerNorm ln1() {
    return ln1;
  }

  StudentDense qkv() {
    return qkv;
  }

  StudentDense attnOut() {
    return attnOut;
  }

  StudentLayerNorm ln2() {
    return ln2;
  }

  StudentDense ffnIn() {
    return ffnIn;
  }

  StudentDense ffnOut() {
    return ffnOut;
  }

  /**
   * @param x {@code [B, T, D]}
   * @param bias additive attention bias over keys {@code [B, 1, 1, T]} (0 or -1e9)
   */
  NDArray apply(ParameterStore ps, NDArray x, NDArray bias, boolean training) {
    long b = x.getShape().get(0);
    long t = x.getShape().get(1);
    int h = config.heads();
    int dh = config.headDim();
    NDList parts = qkv.apply(ps, ln1.apply(ps, x, training), training).split(3, 2); // 3 x [B,T,D]
    NDArray q = heads(parts.get(0), b, t, h, dh); // [B, H, T, Dh]
    NDArray k = heads(parts.get(1), b, t, h, dh);
    NDArray v = heads(parts.get(2), b, t, h, dh);
    NDArray att = q.matMul(k.transpose(0, 1, 3, 2)).mul(GraphScalar.of(q, scale)).add(bias)
        .softmax(-1); // [B, H, T, T]
    NDArray y = att.matMul(v).transpose(0, 2, 1, 3).reshape(b, t, config.width()); // [B, T, D]
    NDArray h1 = x.add(dropout(attnOut.apply(ps, y, training), training));
    NDArray u = ffnIn.apply(ps, ln2.apply(ps, h1, training), training); // [B, T, F]
    return h1.add(dropout(ffnOut.apply(ps, gelu(u), training), training));
  }

  private NDArray dropout(NDArray x, boolean training) {
    return training && config.dropout() > 0
        ? Dropout.dropout(x, (float) config.dropout(), true).singletonOrThrow() : x;
  }

  private static NDArray heads(NDArray x, long b, long t, int h, int dh) {
    return x.reshape(b, t, h, dh).transpose(0, 2, 1, 3);
  }

  /** {@code 0.5 x (1 + erf(x / sqrt 2))}, op for op what the ONNX graph computes. */
  static NDArray gelu(NDArray x) {
    NDArray half = GraphScalar.of(x, 0.5f);
    NDArray invSqrt2 = GraphScalar.of(x, (float) (1.0 / Math.sqrt(2.0)));
    return x.mul(half).mul(x.mul(invSqrt2).erf().add(1f));
  }

  @Override
  protected NDList forwardInternal(
      ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
    return new NDList(apply(ps, inputs.get(0), inputs.get(1), training));
  }

  @Override
  protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
    for (Block child : getChildren().values()) {
      child.initialize(manager, dataType, inputShapes); // every parameter has a fixed shape
    }
  }

  @Override
  public Shape[] getOutputShapes(Shape[] inputShapes) {
    return new Shape[] {inputShapes[0]};
  }
}
