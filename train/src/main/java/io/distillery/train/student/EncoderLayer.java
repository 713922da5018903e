package io.distillery.train.student;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.nn.norm.Dropout;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import io.distillery.train.nn.Attention;
import io.distillery.train.nn.Dense;
import io.distillery.train.nn.FixedShapeBlock;
import io.distillery.train.nn.Gelu;
import io.distillery.train.nn.LayerNormalization;

/**
 * One pre-LN transformer encoder layer: {@code h = x + drop(attn(LN1(x)))}, then {@code h +
 * drop(W2 gelu(W1 LN2(h)))}. Self-attention is bidirectional; padding keys are masked with an
 * additive bias. {@code [B, T, D]} to {@code [B, T, D]}.
 */
final class EncoderLayer extends FixedShapeBlock {
  private final StudentConfig config;
  private final LayerNormalization ln1;
  private final Dense qkv;
  private final Dense attnOut;
  private final LayerNormalization ln2;
  private final Dense ffnIn;
  private final Dense ffnOut;

  EncoderLayer(StudentConfig config) {
    this.config = config;
    int d = config.width();
    float outStd = (float) (0.02 / Math.sqrt(2.0 * Math.max(1, config.layers())));
    ln1 = addChildBlock("attention_norm", StudentClassifier.layerNorm(d));
    qkv = addChildBlock("qkv", new Dense(d, 3 * d, 0.02f));
    attnOut = addChildBlock("attention_output", new Dense(d, d, outStd));
    ln2 = addChildBlock("ffn_norm", StudentClassifier.layerNorm(d));
    ffnIn = addChildBlock("ffn_intermediate", new Dense(d, config.ffnWidth(), 0.02f));
    ffnOut = addChildBlock("ffn_output", new Dense(config.ffnWidth(), d, outStd));
  }

  LayerNormalization ln1() {
    return ln1;
  }

  Dense qkv() {
    return qkv;
  }

  Dense attnOut() {
    return attnOut;
  }

  LayerNormalization ln2() {
    return ln2;
  }

  Dense ffnIn() {
    return ffnIn;
  }

  Dense ffnOut() {
    return ffnOut;
  }

  /**
   * @param x {@code [B, T, D]}
   * @param bias additive attention bias over keys {@code [B, 1, 1, T]} (0 or -1e9)
   */
  NDArray apply(ParameterStore ps, NDArray x, NDArray bias, boolean training) {
    int h = config.heads();
    int dh = config.headDim();
    NDList parts = qkv.apply(ps, ln1.apply(ps, x, training), training).split(3, 2); // 3 x [B,T,D]
    NDArray q = Attention.splitHeads(parts.get(0), h, dh); // [B, H, T, Dh]
    NDArray k = Attention.splitHeads(parts.get(1), h, dh);
    NDArray v = Attention.splitHeads(parts.get(2), h, dh);
    NDArray y = Attention.attend(q, k, v, bias); // [B, T, D]
    NDArray h1 = x.add(dropout(attnOut.apply(ps, y, training), training));
    NDArray u = ffnIn.apply(ps, ln2.apply(ps, h1, training), training); // [B, T, F]
    return h1.add(dropout(ffnOut.apply(ps, Gelu.apply(u), training), training));
  }

  private NDArray dropout(NDArray x, boolean training) {
    return training && config.dropout() > 0
        ? Dropout.dropout(x, (float) config.dropout(), true).singletonOrThrow() : x;
  }

  @Override
  protected NDList forwardInternal(
      ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
    return new NDList(apply(ps, inputs.get(0), inputs.get(1), training));
  }
}
