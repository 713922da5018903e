package io.distillery.learn.gpt;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import io.distillery.core.ConfigException;
import io.distillery.export.gpt.WeightTensor;
import io.distillery.train.gpt.AdamW;
import io.distillery.train.gpt.GptCheckpoint;
import io.distillery.train.gpt.GptConfig;
import io.distillery.train.gpt.GptDecodeLoop;
import io.distillery.train.gpt.GptModel;
import io.distillery.train.gpt.GptWeights;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * A trainable GPT policy over token sequences, with a frozen copy of its start (π₀): batched
 * KV-cached sampling after given prefixes, and REINFORCE updates with a KL penalty to π₀ and an
 * entropy bonus (see {@link GptPolicySettings}). Both models are DJL {@link GptModel}s with the
 * same weights at construction (e.g. a generator's ONNX weights).
 *
 * <p>Determinism: sampling draws only from the given {@link SplittableRandom} (the softmax and
 * the draw happen in Java); with one PyTorch thread the forward and backward are deterministic,
 * so a run and a {@link #save}d-then-{@link #load}ed run reach the same weights.
 */
public final class GptPolicy implements AutoCloseable {
  private final GptConfig config;
  private final GptPolicySettings settings;
  private final int eosId;
  private final NDManager manager;
  private final GptModel model;
  private final GptModel reference;
  private final ParameterStore ps;
  private final AdamW optimizer;
  private int updates;

  /** Decides after each sampled token whether row {@code row} is done. */
  @FunctionalInterface
  public interface StopRule {
    StopRule NEVER = (row, tokens) -> false;

    boolean stop(int row, int[] tokensSoFar);
  }

  /**
   * Sampled continuations.
   *
   * @param tokens per row, the new tokens (an end-of-text token, when drawn, is the last)
   * @param logProbs per row and token, log π(token) at temperature 1 (what {@link #update} trains)
   */
  public record Samples(int[][] tokens, float[][] logProbs) {
    /** Σ_t log π(y_t) of row {@code i}. */
    public double sequenceLogProb(int i) {
      double s = 0;
      for (float v : logProbs[i]) {
        s += v;
      }
      return s;
    }
  }

  /**
   * What an update did.
   *
   * @param loss the total objective
   * @param klToStart mean over rows of Σ_t KL(π ‖ π₀) at the sampled positions, before the step
   * @param entropy mean per-token entropy of π at the sampled positions (nats)
   * @param gradNorm global gradient norm before clipping
   * @param tokens sampled tokens trained on
   */
  public record UpdateStats(double loss, double klToStart, double entropy, double gradNorm,
      int tokens) {}

  /**
   * @param weights every parameter of {@code config} under its GPT-2 name (e.g. from
   *     {@link GeneratorFolder#weights()})
   * @param eosId end-of-text id that ends a row, or -1 for none
   */
  public GptPolicy(GptConfig config, Map<String, WeightTensor> weights, int eosId,
      GptPolicySettings settings) {
    this.config = config;
    this.settings = settings;
    this.eosId = eosId;
    this.manager = NDManager.newBaseManager();
    try {
      this.model = new GptModel(config);
      model.initialize(manager);
      GptWeights.load(model, weights, Path.of("(policy weights)"));
      this.reference = new GptModel(config);
      reference.initialize(manager);
      GptWeights.load(reference, weights, Path.of("(reference weights)"));
      this.ps = new ParameterStore(manager, false);
      this.optimizer = new AdamW(model.namedParameters(), manager, settings.weightDecay());
    } catch (RuntimeException e) {
      manager.close();
      throw e;
    }
  }

  /** A policy (and its π₀) initialised from a generator folder's ONNX weights. */
  public static GptPolicy open(GeneratorFolder folder, GptPolicySettings settings) {
    return new GptPolicy(folder.config(), folder.weights(), folder.eosId(), settings);
  }

  public GptConfig config() {
    return config;
  }

  public GptPolicySettings settings() {
    return settings;
  }

  public int eosId() {
    return eosId;
  }

  /** Updates done so far (restored by {@link #load}). */
  public int updates() {
    return updates;
  }

  /** A copy of the trainable weights under their GPT-2 names (for export). */
  public Map<String, WeightTensor> weights() {
    return GptWeights.export(model);
  }

  /**
   * Samples up to {@code maxNewTokens} tokens after each prefix, in one batch with the KV cache
   * (prefixes left-padded). A row ends at the end-of-text token or when {@code stop} says so.
   *
   * @param greedy take the most likely token instead of sampling (ignores temperature, top-k)
   */
  public Samples sample(List<int[]> prefixes, int maxNewTokens, SplittableRandom rng,
      StopRule stop, boolean greedy) {
    checkPrefixes(prefixes, maxNewTokens);
    List<List<Float>> logProbs = new ArrayList<>();
    for (int i = 0; i < prefixes.size(); i++) {
      logProbs.add(new ArrayList<>());
    }
    int[][] tokens = GptDecodeLoop.decode(model, ps, manager, prefixes, maxNewTokens, eosId,
        new GptDecodeLoop.Chooser() {
          @Override
          public int choose(int row, float[] logits, int off, int v) {
            return greedy ? argmax(logits, off, v) : draw(logits, off, v, rng);
          }

          @Override
          public boolean stop(int row, int token, List<Integer> soFar, float[] logits, int off,
              int v) {
            logProbs.get(row).add((float) (logits[off + token] - logSumExp(logits, off, v)));
            return stop.stop(row, soFar.stream().mapToInt(Integer::intValue).toArray());
          }
        });
    float[][] outLogProbs = new float[tokens.length][];
    for (int i = 0; i < tokens.length; i++) {
      outLogProbs[i] = new float[tokens[i].length];
      for (int j = 0; j < tokens[i].length; j++) {
        outLogProbs[i][j] = logProbs.get(i).get(j);
      }
    }
    return new Samples(tokens, outLogProbs);
  }

  /** {@link #sample} with no stop rule besides end-of-text, sampling. */
  public Samples sample(List<int[]> prefixes, int maxNewTokens, SplittableRandom rng) {
    return sample(prefixes, maxNewTokens, rng, StopRule.NEVER, false);
  }

  /**
   * One REINFORCE step (see {@link GptPolicySettings}) on the given continuations; a row with no
   * tokens or a zero advantage still contributes its KL and entropy.
   *
   * @param prefixes what each row was conditioned on
   * @param tokens the sampled tokens credited, per row (may be a cut of what was sampled)
   * @param advantages per row, A_i
   */
  public UpdateStats update(List<int[]> prefixes, List<int[]> tokens, double[] advantages) {
    int b = prefixes.size();
    if (tokens.size() != b || advantages.length != b) {
      throw new IllegalArgumentException("update: " + b + " prefixes, " + tokens.size()
          + " token rows and " + advantages.length + " advantages");
    }
    int t = 1;
    int count = 0;
    for (int i = 0; i < b; i++) {
      t = Math.max(t, prefixes.get(i).length + tokens.get(i).length - 1);
      count += tokens.get(i).length;
    }
    if (t > config.context()) {
      throw new ConfigException("update: a prefix plus its tokens is " + (t + 1)
          + " long, over the model's context " + config.context());
    }
    long[] ids = new long[b * t];
    long[] targets = new long[b * t];
    float[] weight = new float[b * t];
    float[] adv = new float[b];
    for (int i = 0; i < b; i++) {
      int[] p = prefixes.get(i);
      int[] y = tokens.get(i);
      int[] seq = new int[p.length + y.length];
      System.arraycopy(p, 0, seq, 0, p.length);
      System.arraycopy(y, 0, seq, p.length, y.length);
      for (int j = 0; j < Math.min(t, seq.length); j++) {
        ids[i * t + j] = seq[j];
      }
      for (int j = 0; j < y.length; j++) {
        int at = p.length - 1 + j; // position whose logits predict y[j]
        targets[i * t + at] = y[j];
        weight[i * t + at] = 1f;
      }
      adv[i] = (float) advantages[i];
    }
    double loss;
    double kl;
    double entropy;
    double norm;
    try (NDScope scope = new NDScope()) {
      NDArray idArr = manager.create(ids, new Shape(b, t));
      NDArray tgt = manager.create(targets, new Shape(b, t)).expandDims(-1);
      NDArray w = manager.create(weight, new Shape(b, t));
      NDArray a = manager.create(adv, new Shape(b));
      NDArray refLogp = reference.logits(ps, idArr, false).logSoftmax(-1).stopGradient();
      NDArray lossArr;
      NDArray klArr;
      NDArray entArr;
      try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
        NDArray logp = model.logits(ps, idArr, true).logSoftmax(-1); // [B, T, V]
        NDArray tok = logp.gather(tgt, -1).squeeze(-1).mul(w); // [B, T]
        NDArray p = logp.exp();
        NDArray klPos = p.mul(logp.sub(refLogp)).sum(new int[] {-1}); // [B, T]
        NDArray entPos = p.mul(logp).sum(new int[] {-1}).neg(); // [B, T]
        NDArray pg = a.mul(tok.sum(new int[] {1})).mean().neg();
        klArr = klPos.mul(w).sum(new int[] {1}).mean();
        entArr = entPos.mul(w).sum();
        lossArr = pg.add(klArr.mul((float) settings.klPenalty()))
            .sub(entPos.mul(w).sum(new int[] {1}).mean().mul((float) settings.entropyBonus()));
        gc.backward(lossArr);
      }
      norm = optimizer.clipGradients(settings.gradClip());
      optimizer.step(settings.learningRate());
      loss = lossArr.getFloat();
      kl = klArr.getFloat();
      entropy = count == 0 ? 0 : entArr.getFloat() / count;
    }
    updates++;
    return new UpdateStats(loss, kl, entropy, norm, count);
  }

  /**
   * log π(y_t) of each given token under the current weights (temperature 1), by a full forward:
   * the same numbers {@link Samples#logProbs()} reports, for checks.
   */
  public float[][] tokenLogProbs(List<int[]> prefixes, List<int[]> tokens) {
    float[][] out = new float[prefixes.size()][];
    for (int i = 0; i < prefixes.size(); i++) {
      int[] p = prefixes.get(i);
      int[] y = tokens.get(i);
      long[] seq = new long[p.length + y.length];
      for (int j = 0; j < p.length; j++) {
        seq[j] = p[j];
      }
      for (int j = 0; j < y.length; j++) {
        seq[p.length + j] = y[j];
      }
      try (NDScope scope = new NDScope()) {
        NDArray logp = model.logits(ps, manager.create(seq, new Shape(1, seq.length)), false)
            .logSoftmax(-1);
        float[] flat = logp.toFloatArray();
        out[i] = new float[y.length];
        for (int j = 0; j < y.length; j++) {
          out[i][j] = flat[(p.length - 1 + j) * config.vocab() + y[j]];
        }
      }
    }
    return out;
  }

  /** Writes weights, AdamW moments and the update count to {@code dir/checkpoint.bin}. */
  public void save(Path dir) {
    GptCheckpoint.save(dir, model, optimizer, updates);
  }

  /** Restores what {@link #save} wrote (π₀ stays the start weights). */
  public void load(Path dir) {
    GptCheckpoint.State s = GptCheckpoint.load(dir, model);
    optimizer.restore(s.first(), s.second(), s.updates());
    updates = s.step();
  }

  private int checkPrefixes(List<int[]> prefixes, int maxNewTokens) {
    if (prefixes.isEmpty()) {
      throw new IllegalArgumentException("sample: no prefixes");
    }
    if (maxNewTokens < 1) {
      throw new ConfigException("sample: maxNewTokens must be >= 1, got " + maxNewTokens);
    }
    int longest = 0;
    for (int[] p : prefixes) {
      if (p.length == 0) {
        throw new IllegalArgumentException("sample: every prefix needs at least one token");
      }
      longest = Math.max(longest, p.length);
    }
    if (longest + maxNewTokens > config.context()) {
      throw new ConfigException("sample: the longest prefix (" + longest + " tokens) plus "
          + maxNewTokens + " new tokens exceeds the model's context " + config.context()
          + "; shorten the prompts or lower max new tokens");
    }
    return longest;
  }

  private int draw(float[] logits, int off, int v, SplittableRandom rng) {
    double temp = settings.temperature();
    int k = settings.topK() > 0 && settings.topK() < v ? settings.topK() : v;
    double threshold = Double.NEGATIVE_INFINITY;
    if (k < v) {
      float[] sorted = Arrays.copyOfRange(logits, off, off + v);
      Arrays.sort(sorted);
      threshold = sorted[v - k];
    }
    double max = Double.NEGATIVE_INFINITY;
    for (int j = 0; j < v; j++) {
      max = Math.max(max, logits[off + j]);
    }
    double[] weights = new double[v];
    double sum = 0;
    for (int j = 0; j < v; j++) {
      if (logits[off + j] >= threshold) {
        weights[j] = Math.exp((logits[off + j] - max) / temp);
        sum += weights[j];
      }
    }
    double u = rng.nextDouble() * sum;
    int lastKept = 0;
    for (int j = 0; j < v; j++) {
      if (weights[j] > 0) {
        lastKept = j;
        u -= weights[j];
        if (u < 0) {
          return j;
        }
      }
    }
    return lastKept;
  }

  private static int argmax(float[] logits, int off, int v) {
    int best = 0;
    for (int j = 1; j < v; j++) {
      if (logits[off + j] > logits[off + best]) {
        best = j;
      }
    }
    return best;
  }

  private static double logSumExp(float[] logits, int off, int v) {
    double max = Double.NEGATIVE_INFINITY;
    for (int j = 0; j < v; j++) {
      max = Math.max(max, logits[off + j]);
    }
    double s = 0;
    for (int j = 0; j < v; j++) {
      s += Math.exp(logits[off + j] - max);
    }
    return max + Math.log(s);
  }

  @Override
  public void close() {
    manager.close();
  }
}
