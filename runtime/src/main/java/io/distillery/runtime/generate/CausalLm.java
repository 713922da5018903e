package io.distillery.runtime.generate;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OnnxValue;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import com.fasterxml.jackson.databind.JsonNode;
import io.distillery.core.BadInputException;
import io.distillery.core.ConfigException;
import io.distillery.core.JobFailedException;
import io.distillery.core.ModelLoadException;
import io.distillery.runtime.model.JsonFile;
import io.distillery.runtime.session.ModelSession;
import io.distillery.runtime.session.SessionConfig;
import io.distillery.runtime.session.SessionFactory;
import java.nio.FloatBuffer;
import java.nio.LongBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * A causal language model in ONNX with its tokenizer: batched generation with the KV cache.
 *
 * <p>Prompts of different lengths are left-padded; each row gets its own {@code position_ids}
 * (0 at its first real token) and an {@code attention_mask} over past + new positions, so a row's
 * result does not depend on the other rows (batched greedy equals one-by-one greedy). With the
 * cache, the first step feeds the prompts with an empty past and every later step one token per
 * row plus the previous step's {@code present.*} tensors; without it (a model with no past inputs,
 * or {@link CacheMode#OFF}) every step recomputes the whole sequence.
 */
public final class CausalLm implements AutoCloseable {
  private final ModelSession session;
  private final LmTokenizer tokenizer;
  private final LmSignature signature;
  private final int context;
  private final long eosId;

  /**
   * Takes ownership of the session and the tokenizer (closing this closes them).
   *
   * @param context longest sequence the model can see (positions 0..context-1)
   * @param eosId the end-of-text id, or -1 if the model has none
   */
  public CausalLm(ModelSession session, LmTokenizer tokenizer, int context, long eosId) {
    this.session = session;
    this.tokenizer = tokenizer;
    this.context = context;
    this.eosId = eosId;
    try {
      this.signature = LmSignature.of(session.modelPath(), session.session().getInputInfo(),
          session.session().getOutputInfo());
    } catch (OrtException e) {
      throw LmSignature.unreadable(session.modelPath(), e);
    }
  }

  /**
   * Opens a model folder: {@code model.onnx} + {@code tokenizer.json}, with the context
   * ({@code n_positions}, {@code max_position_embeddings} or {@code n_ctx}) and end-of-text id
   * from {@code config.json} / {@code generation_config.json} when present.
   */
  public static CausalLm open(Path dir, SessionFactory factory, SessionConfig config) {
    Path model = dir.resolve("model.onnx");
    if (!Files.isRegularFile(model)) {
      throw new ModelLoadException(model, "no such file; a generator folder holds model.onnx and"
          + " tokenizer.json");
    }
    JsonNode cfg = optionalJson(dir.resolve("config.json"));
    JsonNode gen = optionalJson(dir.resolve("generation_config.json"));
    int context = Integer.MAX_VALUE;
    for (String key : new String[] {"n_positions", "max_position_embeddings", "n_ctx"}) {
      if (cfg.path(key).canConvertToInt() && cfg.path(key).asInt() > 0) {
        context = cfg.path(key).asInt();
        break;
      }
    }
    long eos = gen.path("eos_token_id").canConvertToLong() ? gen.path("eos_token_id").asLong()
        : cfg.path("eos_token_id").canConvertToLong() ? cfg.path("eos_token_id").asLong() : -1;
    LmTokenizer tok = LmTokenizer.load(dir.resolve("tokenizer.json"));
    try {
      return new CausalLm(factory.open(model, config), tok, context, eos);
    } catch (RuntimeException e) {
      tok.close();
      throw e;
    }
  }

  public LmSignature signature() {
    return signature;
  }

  public LmTokenizer tokenizer() {
    return tokenizer;
  }

  public int context() {
    return context;
  }

  public long eosId() {
    return eosId;
  }

  /**
   * Continues each prompt.
   *
   * @throws BadInputException if a prompt is empty or leaves no room in the context
   */
  public List<Generation> generate(List<String> prompts, GenerationConfig config) {
    List<long[]> ids = new ArrayList<>();
    for (int i = 0; i < prompts.size(); i++) {
      long[] p = tokenizer.encode(prompts.get(i));
      ids.add(p);
    }
    return generateIds(prompts, ids, config);
  }

  /** Like {@link #generate}, from token ids; {@code prompts} only label the results. */
  public List<Generation> generateIds(List<String> prompts, List<long[]> promptIds,
      GenerationConfig config) {
    if (promptIds.isEmpty()) {
      return List.of();
    }
    for (int i = 0; i < promptIds.size(); i++) {
      int n = promptIds.get(i).length;
      if (n == 0) {
        throw new BadInputException("prompt " + i + " is empty (0 tokens); give at least one"
            + " token of text to continue");
      }
      if (n >= context) {
        throw new BadInputException("prompt " + i + " has " + n + " tokens but "
            + session.modelPath() + " has a context of " + context
            + " positions, leaving no room for new tokens; shorten the prompt");
      }
    }
    boolean cache = switch (config.cache()) {
      case OFF -> false;
      case AUTO -> signature.hasCache();
      case ON -> {
        if (!signature.hasCache()) {
          throw new ConfigException(session.modelPath() + ": the KV cache was requested but the"
              + " model has no past_key_values.* inputs; re-export with past (Optimum"
              + " text-generation-with-past) or generate with cache OFF");
        }
        yield true;
      }
    };
    try {
      return new Run(prompts, promptIds, config, cache).loop();
    } catch (OrtException e) {
      throw new JobFailedException(session.modelPath() + ": generation failed ("
          + e.getMessage() + ")", e);
    }
  }

  @Override
  public void close() {
    try {
      session.close();
    } finally {
      tokenizer.close();
    }
  }

  private static JsonNode optionalJson(Path file) {
    return Files.isRegularFile(file) ? JsonFile.readObject(file, "a model config JSON")
        : com.fasterxml.jackson.databind.node.MissingNode.getInstance();
  }

  /** The state of one batched generation. */
  private final class Run {
    private final List<String> prompts;
    private final GenerationConfig config;
    private final boolean cache;
    private final TokenSampler sampler;
    private final OrtEnvironment env = session.environment();
    private final int batch;
    private final int promptWidth;
    private final long padId;
    /** Every row's tokens so far, left-padded to {@code promptWidth}, then generated ones. */
    private final List<long[]> sequences = new ArrayList<>();
    private final int[] padding;
    private final List<List<Long>> generated = new ArrayList<>();
    private final List<List<Float>> logProbs = new ArrayList<>();
    private final FinishReason[] finish;
    private final SplittableRandom[] rngs;

    Run(List<String> prompts, List<long[]> ids, GenerationConfig config, boolean cache) {
      this.prompts = prompts;
      this.config = config;
      this.cache = cache;
      this.sampler = new TokenSampler(config);
      this.batch = ids.size();
      this.promptWidth = ids.stream().mapToInt(a -> a.length).max().orElseThrow();
      this.padId = eosId >= 0 ? eosId : 0;
      this.padding = new int[batch];
      this.finish = new FinishReason[batch];
      this.rngs = new SplittableRandom[batch];
      for (int b = 0; b < batch; b++) {
        long[] p = ids.get(b);
        padding[b] = promptWidth - p.length;
        long[] row = new long[promptWidth + config.maxNewTokens()];
        java.util.Arrays.fill(row, 0, padding[b], padId);
        System.arraycopy(p, 0, row, padding[b], p.length);
        sequences.add(row);
        generated.add(new ArrayList<>());
        logProbs.add(new ArrayList<>());
        rngs[b] = new SplittableRandom(config.seed() ^ (0x9E3779B97F4A7C15L * (b + 1)));
      }
    }

    List<Generation> loop() throws OrtException {
      int length = promptWidth; // tokens in every row so far
      OrtSession.Result previous = null;
      try {
        float[] logits;
        int vocab;
        OrtSession.Result result = runStep(length, 0, null);
        try {
          for (int step = 0; ; step++) {
            OnnxTensor out = (OnnxTensor) result.get("logits").get();
            long[] shape = out.getInfo().getShape(); // [B, T, V]
            vocab = (int) shape[2];
            logits = lastPositions(out, shape);
            if (!advance(logits, vocab, length)) {
              break;
            }
            length++;
            if (cache) {
              if (previous != null) {
                previous.close();
              }
              previous = result;
              result = runStep(length, 1, previous);
            } else {
              result.close();
              result = null;
              result = runStep(length, length, null);
            }
          }
        } finally {
          if (result != null) {
            result.close();
          }
        }
      } finally {
        if (previous != null) {
          previous.close();
        }
      }
      List<Generation> out = new ArrayList<>();
      for (int b = 0; b < batch; b++) {
        long[] tokens = generated.get(b).stream().mapToLong(Long::longValue).toArray();
        float[] lp = new float[tokens.length];
        for (int i = 0; i < lp.length; i++) {
          lp[i] = logProbs.get(b).get(i);
        }
        String text = tokenizer.decode(tokens);
        if (finish[b] == FinishReason.STOP_SEQUENCE) {
          text = text.substring(0, stopIndex(text));
        }
        out.add(new Generation(b < prompts.size() ? prompts.get(b) : "", text, tokens, lp,
            finish[b]));
      }
      return out;
    }

    /** Picks a token for every unfinished row; returns whether any row goes on. */
    private boolean advance(float[] logits, int vocab, int length) {
      boolean anyOpen = false;
      for (int b = 0; b < batch; b++) {
        if (finish[b] != null) {
          sequences.get(b)[length] = padId;
          continue;
        }
        int off = b * vocab;
        int id = sampler.pick(logits, off, vocab, rngs[b]);
        generated.get(b).add((long) id);
        logProbs.get(b).add(TokenSampler.logProb(logits, off, vocab, id));
        sequences.get(b)[length] = id;
        int produced = generated.get(b).size();
        int nextPosition = length - padding[b] + 1;
        if (config.stopAtEos() && id == eosId) {
          finish[b] = FinishReason.EOS;
        } else if (!config.stopSequences().isEmpty() && stopIndex(decodeRow(b)) >= 0) {
          finish[b] = FinishReason.STOP_SEQUENCE;
        } else if (produced >= config.maxNewTokens()) {
          finish[b] = FinishReason.LENGTH;
        } else if (nextPosition >= context) {
          finish[b] = FinishReason.CONTEXT;
        } else {
          anyOpen = true;
        }
      }
      return anyOpen;
    }

    private String decodeRow(int b) {
      return tokenizer.decode(generated.get(b).stream().mapToLong(Long::longValue).toArray());
    }

    private int stopIndex(String text) {
      int best = -1;
      for (String s : config.stopSequences()) {
        int i = text.indexOf(s);
        if (i >= 0 && (best < 0 || i < best)) {
          best = i;
        }
      }
      return best;
    }

    /**
     * Runs the model on the last {@code fed} tokens of each row ({@code length} so far), with the
     * previous result's presents as the past when caching.
     */
    private OrtSession.Result runStep(int length, int fed, OrtSession.Result past)
        throws OrtException {
      int start = length - fed;
      if (fed == 0) { // first step: the whole prompt
        start = 0;
        fed = length;
      }
      long[] ids = new long[batch * fed];
      long[] positions = new long[batch * fed];
      long[] mask = new long[batch * length];
      for (int b = 0; b < batch; b++) {
        long[] row = sequences.get(b);
        for (int i = 0; i < length; i++) {
          mask[b * length + i] = i < padding[b] ? 0 : 1;
        }
        for (int i = 0; i < fed; i++) {
          int t = start + i;
          ids[b * fed + i] = row[t];
          positions[b * fed + i] = Math.min(context - 1, Math.max(0, t - padding[b]));
        }
      }
      Map<String, OnnxTensor> owned = new HashMap<>();
      Map<String, OnnxTensor> inputs = new HashMap<>();
      try {
        owned.put("input_ids", longs(ids, batch, fed));
        if (signature.hasAttentionMask()) {
          owned.put("attention_mask", longs(mask, batch, length));
        }
        if (signature.hasPositionIds()) {
          owned.put("position_ids", longs(positions, batch, fed));
        }
        inputs.putAll(owned);
        for (int l = 0; l < signature.layers(); l++) {
          for (String kind : new String[] {"key", "value"}) {
            String name = "past_key_values." + l + "." + kind;
            if (past != null) {
              inputs.put(name, (OnnxTensor) past.get("present." + l + "." + kind).orElseThrow());
            } else {
              OnnxTensor empty = OnnxTensor.createTensor(env, FloatBuffer.allocate(0),
                  new long[] {batch, signature.heads(), 0, signature.headDim()});
              owned.put(name, empty);
              inputs.put(name, empty);
            }
          }
        }
        return session.session().run(inputs);
      } finally {
        owned.values().forEach(OnnxValue::close);
      }
    }

    private OnnxTensor longs(long[] values, int rows, int cols) throws OrtException {
      return OnnxTensor.createTensor(env, LongBuffer.wrap(values), new long[] {rows, cols});
    }

    /** The logits of each row's last position: {@code [B, V]} flat. */
    private float[] lastPositions(OnnxTensor logits, long[] shape) {
      int t = (int) shape[1];
      int v = (int) shape[2];
      FloatBuffer all = logits.getFloatBuffer();
      float[] out = new float[batch * v];
      for (int b = 0; b < batch; b++) {
        all.position((b * t + t - 1) * v);
        all.get(out, b * v, v);
      }
      return out;
    }
  }
}
