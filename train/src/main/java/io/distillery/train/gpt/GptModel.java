package io.distillery.train.gpt;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.ndarray.types.SparseFormat;
import ai.djl.nn.Parameter;
import ai.djl.nn.core.Embedding;
import ai.djl.training.ParameterStore;
import ai.djl.training.initializer.NormalInitializer;
import ai.djl.util.PairList;
import io.distillery.core.ShapeMismatchException;
import io.distillery.export.gpt.GptArchitecture;
import io.distillery.train.nn.BlockParameters;
import io.distillery.train.nn.FixedShapeBlock;
import io.distillery.train.nn.LayerNormalization;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A GPT decoder (GPT-2 layout): token + position embeddings, {@link GptConfig#layers()} pre-LN
 * {@link GptBlock}s, a final layer norm, and logits from the token table itself (tied output).
 *
 * <p>Two ways in. {@link #logits} takes ids {@code [B, T]} and returns logits {@code [B, T, V]}
 * with positions {@code 0..T-1} and a causal mask (training, evaluation). {@link #step} is the
 * cached form the ONNX export mirrors: ids, per-row positions, an attention mask over past + new
 * positions, and past keys/values; it returns the logits and the present keys/values.
 *
 * <p>Through {@link ai.djl.nn.Block#forward}: inputs {@code [ids]} give {@code [logits]};
 * inputs {@code [ids, positions, attentionMask, past.0.key, past.0.value, ...]} give
 * {@code [logits, present.0.key, present.0.value, ...]}.
 */
public final class GptModel extends FixedShapeBlock {
  /** The additive bias for a masked attention score; the ONNX graph uses the same constant. */
  public static final float MASKED = -1e9f;

  private final GptConfig config;
  private final Parameter wte;
  private final Parameter wpe;
  private final List<GptBlock> blocks = new ArrayList<>();
  private final LayerNormalization lnF;

  /** Logits {@code [B, T, V]} and the present keys/values, each {@code [B, H, S, D]}. */
  public record StepOutput(NDArray logits, List<NDArray> presentKeys, List<NDArray> presentValues) {}

  public GptModel(GptConfig config) {
    this.config = config;
    wte = addParameter(Parameter.builder().setName("wte").setType(Parameter.Type.WEIGHT)
        .optShape(new Shape(config.vocab(), config.width()))
        .optInitializer(new NormalInitializer(0.02f)).build());
    wpe = addParameter(Parameter.builder().setName("wpe").setType(Parameter.Type.WEIGHT)
        .optShape(new Shape(config.context(), config.width()))
        .optInitializer(new NormalInitializer(0.01f)).build());
    for (int i = 0; i < config.layers(); i++) {
      blocks.add(addChildBlock("h" + i, new GptBlock(config)));
    }
    lnF = addChildBlock("ln_f", GptBlock.layerNorm(config));
  }

  public GptConfig config() {
    return config;
  }

  /**
   * Every parameter under its Hugging Face GPT-2 name ({@code transformer.wte.weight},
   * {@code transformer.h.0.attn.c_attn.weight}, ...), in a fixed order. These are also the ONNX
   * initializer names the exporter writes and the importer reads.
   */
  public Map<String, Parameter> namedParameters() {
    Map<String, Parameter> out = new LinkedHashMap<>();
    out.put("transformer.wte.weight", wte);
    out.put("transformer.wpe.weight", wpe);
    for (int i = 0; i < blocks.size(); i++) {
      GptBlock b = blocks.get(i);
      BlockParameters.put(out, GptArchitecture.blockPrefix(i), GptArchitecture.BLOCK_WEIGHTS,
          b.ln1(), b.attn().qkv(), b.attn().proj(), b.ln2(), b.mlp().fc(), b.mlp().proj());
    }
    out.put("transformer.ln_f.weight", lnF.weight());
    out.put("transformer.ln_f.bias", lnF.bias());
    return out;
  }

  /** Initialises every parameter (seed the engine first for reproducible weights). */
  public void initialize(NDManager manager) {
    initialize(manager, DataType.FLOAT32, new Shape(1, 1));
  }

  /**
   * Logits with positions {@code 0..T-1} and a causal mask.
   *
   * @param ids token ids {@code [B, T]} (int64 or int32), {@code T <= context}
   * @return logits {@code [B, T, V]}
   */
  public NDArray logits(ParameterStore ps, NDArray ids, boolean training) {
    checkIds(ids);
    int t = (int) ids.getShape().get(1);
    NDManager m = ids.getManager();
    NDArray positions = m.arange(0, t, 1, DataType.INT64).reshape(1, t);
    NDArray bias = causalAllowed(m, 0, t).sub(1f).mul(-MASKED); // [1, 1, T, T]
    NDArray h = embed(ps, ids, positions, training);
    for (GptBlock block : blocks) {
      h = block.apply(ps, h, bias, null, null, training).y();
    }
    return head(ps, h, training);
  }

  /**
   * Logits with {@code K} continuous prompt vectors before the tokens (soft prompt tuning): the
   * sequence is {@code [prompt, embed(ids)]} with positions {@code 0..K+T-1} and a causal mask.
   * Gradients reach {@code prompt} through the frozen or trainable weights alike.
   *
   * @param prompt soft prompt {@code [K, C]}, shared by every row
   * @param ids token ids {@code [B, T]}, {@code K + T <= context}
   * @return logits {@code [B, K + T, V]} (the first K rows are the prompt positions)
   */
  public NDArray logitsAfterPrompt(ParameterStore ps, NDArray prompt, NDArray ids,
      boolean training) {
    checkIds(ids);
    long b = ids.getShape().get(0);
    int k = (int) prompt.getShape().get(0);
    int t = (int) ids.getShape().get(1);
    if (prompt.getShape().dimension() != 2 || prompt.getShape().get(1) != config.width()) {
      throw new ShapeMismatchException("soft prompt: expected [K, " + config.width() + "], found "
          + prompt.getShape());
    }
    if (k + t > config.context()) {
      throw new ShapeMismatchException("soft prompt (" + k + ") plus input_ids (" + t
          + ") exceed the model's context " + config.context());
    }
    NDManager m = ids.getManager();
    NDArray tok = ps.getValue(wte, ids.getDevice(), training);
    NDArray pos = ps.getValue(wpe, ids.getDevice(), training);
    NDArray te = Embedding.embedding(ids, tok, SparseFormat.DENSE).singletonOrThrow(); // [B,T,C]
    NDArray pe = Embedding.embedding(m.arange(0, k + t, 1, DataType.INT64).reshape(1, k + t), pos,
        SparseFormat.DENSE).singletonOrThrow(); // [1, K+T, C]
    NDArray p = prompt.expandDims(0).repeat(0, b); // [B, K, C]
    NDArray h = p.concat(te, 1).add(pe); // [B, K+T, C]
    NDArray bias = causalAllowed(m, 0, k + t).sub(1f).mul(-MASKED);
    for (GptBlock block : blocks) {
      h = block.apply(ps, h, bias, null, null, training).y();
    }
    return head(ps, h, training);
  }

  /**
   * One cached step, exactly the computation of the exported ONNX graph.
   *
   * @param ids new token ids {@code [B, T]}
   * @param positions position of each new token {@code [B, T]} (per row, so left padding works)
   * @param attentionMask 1 for real tokens, 0 for padding, over past + new positions
   *     {@code [B, P + T]}
   * @param pastKeys per layer {@code [B, H, P, D]} (P may be 0)
   * @param pastValues per layer {@code [B, H, P, D]}
   */
  public StepOutput step(ParameterStore ps, NDArray ids, NDArray positions, NDArray attentionMask,
      List<NDArray> pastKeys, List<NDArray> pastValues, boolean training) {
    checkIds(ids);
    if (pastKeys.size() != config.layers() || pastValues.size() != config.layers()) {
      throw new ShapeMismatchException("past key/values: expected " + config.layers()
          + " layers, found " + pastKeys.size() + " keys and " + pastValues.size() + " values");
    }
    long b = ids.getShape().get(0);
    int t = (int) ids.getShape().get(1);
    int past = (int) pastKeys.get(0).getShape().get(2);
    Shape maskShape = new Shape(b, past + t);
    if (!attentionMask.getShape().equals(maskShape)) {
      throw new ShapeMismatchException("attention_mask: expected " + maskShape + " (batch, past + new"
          + " positions), found " + attentionMask.getShape());
    }
    NDManager m = ids.getManager();
    NDArray pad = attentionMask.toType(DataType.FLOAT32, false).reshape(b, 1, 1, past + t);
    NDArray bias = causalAllowed(m, past, t).mul(pad).sub(1f).mul(-MASKED); // [B, 1, T, S]
    NDArray h = embed(ps, ids, positions, training);
    List<NDArray> keys = new ArrayList<>();
    List<NDArray> values = new ArrayList<>();
    for (int i = 0; i < blocks.size(); i++) {
      CausalSelfAttention.Output o =
          blocks.get(i).apply(ps, h, bias, pastKeys.get(i), pastValues.get(i), training);
      h = o.y();
      keys.add(o.key());
      values.add(o.value());
    }
    return new StepOutput(head(ps, h, training), keys, values);
  }

  /** Empty past keys/values {@code [B, H, 0, D]} for the first cached step. */
  public List<NDArray> emptyPast(NDManager m, long batch) {
    List<NDArray> out = new ArrayList<>();
    for (int i = 0; i < config.layers(); i++) {
      out.add(m.zeros(new Shape(batch, config.heads(), 0, config.headDim())));
    }
    return out;
  }

  private NDArray embed(ParameterStore ps, NDArray ids, NDArray positions, boolean training) {
    NDArray tok = ps.getValue(wte, ids.getDevice(), training);
    NDArray pos = ps.getValue(wpe, ids.getDevice(), training);
    NDArray te = Embedding.embedding(ids, tok, SparseFormat.DENSE).singletonOrThrow();
    NDArray pe = Embedding.embedding(positions, pos, SparseFormat.DENSE).singletonOrThrow();
    return te.add(pe); // [B, T, C]
  }

  private NDArray head(ParameterStore ps, NDArray h, boolean training) {
    NDArray tok = ps.getValue(wte, h.getDevice(), training);
    return lnF.apply(ps, h, training).matMul(tok.transpose()); // [B, T, V]
  }

  /** 1 where new token i (absolute position past + i) may see key j, else 0: {@code [1,1,T,S]}. */
  static NDArray causalAllowed(NDManager m, int past, int t) {
    int s = past + t;
    float[] allowed = new float[t * s];
    for (int i = 0; i < t; i++) {
      for (int j = 0; j <= past + i; j++) {
        allowed[i * s + j] = 1f;
      }
    }
    return m.create(allowed, new Shape(1, 1, t, s));
  }

  private void checkIds(NDArray ids) {
    Shape s = ids.getShape();
    if (s.dimension() != 2) {
      throw new ShapeMismatchException("input_ids: expected [batch, seq], found " + s);
    }
    if (s.get(1) < 1 || s.get(1) > config.context()) {
      throw new ShapeMismatchException("input_ids: sequence length must be in [1, "
          + config.context() + "] (the model's context), found " + s.get(1));
    }
  }

  @Override
  protected NDList forwardInternal(
      ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
    if (inputs.size() == 1) {
      return new NDList(logits(ps, inputs.get(0), training));
    }
    int layers = config.layers();
    if (inputs.size() != 3 + 2 * layers) {
      throw new ShapeMismatchException("GPT forward: expected [ids] or [ids, positions, mask, "
          + 2 * layers + " past arrays], found " + inputs.size() + " inputs");
    }
    List<NDArray> keys = new ArrayList<>();
    List<NDArray> values = new ArrayList<>();
    for (int i = 0; i < layers; i++) {
      keys.add(inputs.get(3 + 2 * i));
      values.add(inputs.get(4 + 2 * i));
    }
    StepOutput out = step(ps, inputs.get(0), inputs.get(1), inputs.get(2), keys, values, training);
    NDList list = new NDList(out.logits());
    for (int i = 0; i < layers; i++) {
      list.add(out.presentKeys().get(i));
      list.add(out.presentValues().get(i));
    }
    return list;
  }

  @Override
  public Shape[] getOutputShapes(Shape[] inputShapes) {
    Shape ids = inputShapes[0];
    return new Shape[] {new Shape(ids.get(0), ids.get(1), config.vocab())};
  }
}
