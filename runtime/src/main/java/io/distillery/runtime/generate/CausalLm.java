package io.distillery.runtime.generate;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.TensorInfo;
import com.fasterxml.jackson.databind.JsonNode;
import io.distillery.core.BadInputException;
import io.distillery.core.ConfigException;
import io.distillery.core.JobFailedException;
import io.distillery.core.ModelLoadException;
import io.distillery.export.graph.OnnxModels;
import io.distillery.export.onnx.OnnxProto.ModelProto;
import io.distillery.export.onnx.OnnxProto.TensorProto;
import io.distillery.runtime.model.JsonFile;
import io.distillery.runtime.session.ModelSession;
import io.distillery.runtime.session.SessionConfig;
import io.distillery.runtime.session.SessionFactory;
import java.io.IOException;
import java.nio.FloatBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

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
  private TokenScoring scoring = TokenScoring.GRAPH;
  /** Whether the session's model has the token choice appended ({@link LogitsReducer#appendedTo}). */
  private final boolean choiceInGraph;
  /** The vocabulary size from the logits output's shape, -1 if symbolic. */
  private final int vocab;
  /** Opened on the first generation that needs it (token choice in a graph of its own). */
  private LogitsReducer reducer;

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
      long[] shape = ((TensorInfo) session.session().getOutputInfo().get("logits")
          .getInfo()).getShape();
      this.vocab = shape.length == 3 && shape[2] > 0 ? (int) shape[2] : -1;
    } catch (OrtException e) {
      throw LmSignature.unreadable(session.modelPath(), e);
    }
    this.choiceInGraph = session.inputNames().contains(LogitsReducer.IN_GRAPH_K);
  }

  /**
   * Opens a model folder: {@code model.onnx} + {@code tokenizer.json}, with the context
   * ({@code n_positions}, {@code max_position_embeddings} or {@code n_ctx}) and end-of-text id
   * from {@code config.json} / {@code generation_config.json} when present.
   */
  public static CausalLm open(Path dir, SessionFactory factory, SessionConfig config) {
    return open(dir, factory, config, TokenScoring.GRAPH);
  }

  /**
   * Like {@link #open(Path, SessionFactory, SessionConfig)}, choosing tokens as {@code scoring}
   * says. With {@link TokenScoring#GRAPH} the token choice is appended to the model's graph when
   * it can be ({@link LogitsReducer#appendedTo}: a file of at most {@value #APPEND_MAX_BYTES}
   * bytes, weights inside it, opset 11 to 17), else it runs in a graph of its own; {@link
   * TokenScoring#JAVA} opens the file as it is.
   */
  public static CausalLm open(Path dir, SessionFactory factory, SessionConfig config,
      TokenScoring scoring) {
    Path model = dir.resolve("model.onnx");
    if (!Files.isRegularFile(model)) {
      throw new ModelLoadException(model, "no such file; a generator folder holds model.onnx and"
          + " tokenizer.json");
    }
    Path cfgFile = dir.resolve("config.json");
    Path genFile = dir.resolve("generation_config.json");
    JsonNode cfg = optionalJson(cfgFile);
    JsonNode gen = optionalJson(genFile);
    int context = Integer.MAX_VALUE;
    for (String key : new String[] {"n_positions", "max_position_embeddings", "n_ctx"}) {
      JsonNode v = cfg.path(key);
      if (v.isMissingNode() || v.isNull()) {
        continue;
      }
      if (!v.canConvertToExactIntegral() || !v.canConvertToInt() || v.asInt() < 1) {
        throw BadInputException.of(cfgFile, key + ": expected a positive integer, found " + v);
      }
      context = v.asInt();
      break;
    }
    long eos = eosId(genFile, gen);
    if (eos < 0) {
      eos = eosId(cfgFile, cfg);
    }
    LmTokenizer tok = LmTokenizer.load(dir.resolve("tokenizer.json"));
    try {
      byte[] withChoice = scoring == TokenScoring.GRAPH ? withTokenChoice(model) : null;
      CausalLm lm = new CausalLm(withChoice == null ? factory.open(model, config)
          : factory.open(model, withChoice, config), tok, context, eos);
      lm.setTokenScoring(scoring);
      return lm;
    } catch (RuntimeException e) {
      tok.close();
      throw e;
    }
  }

  /**
   * Model files up to this size get the token choice appended: the model is parsed and written
   * again in memory (a few times its size on the heap, briefly), and for larger models the
   * separate reducer session costs a smaller share of a step anyway.
   */
  public static final long APPEND_MAX_BYTES = 128L << 20;

  /**
   * The model with {@link LogitsReducer#appendedTo} as bytes, or null where that does not apply
   * (too large, weights in external files, an opset the builder does not write, no logits).
   */
  private static byte[] withTokenChoice(Path model) {
    try {
      if (Files.size(model) > APPEND_MAX_BYTES) {
        return null;
      }
      ModelProto proto = OnnxModels.read(model);
      boolean external = proto.getGraph().getInitializerList().stream()
          .anyMatch(t -> t.getDataLocation() == TensorProto.DataLocation.EXTERNAL);
      boolean logits = proto.getGraph().getOutputList().stream()
          .anyMatch(o -> o.getName().equals("logits"));
      boolean done = proto.getGraph().getInputList().stream()
          .anyMatch(i -> i.getName().equals(LogitsReducer.IN_GRAPH_K));
      return external || !logits || done ? null : LogitsReducer.appendedTo(proto).toByteArray();
    } catch (IOException | RuntimeException e) {
      return null; // opened as it is: the session's own checks report what is wrong with it
    }
  }

  /** Where the per-token vocabulary passes run from now on ({@link TokenScoring#GRAPH} at first). */
  public void setTokenScoring(TokenScoring scoring) {
    this.scoring = java.util.Objects.requireNonNull(scoring);
  }

  public TokenScoring tokenScoring() {
    return scoring;
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
    return generate(prompts, config, StopCondition.NEVER, Batching.all());
  }

  /**
   * Continues each prompt with continuous batching: at most {@code batching.maxRows()} prompts
   * are in the batch at a time, a prompt leaves it as soon as it is finished (including when
   * {@code stop} says its text is done, checked after every token) and the next prompts take the
   * freed rows. The results, in prompt order, do not depend on the batching: prompt i samples
   * from its own stream, seeded from the config's seed and i.
   *
   * @throws BadInputException if a prompt is empty or leaves no room in the context
   */
  public List<Generation> generate(List<String> prompts, GenerationConfig config,
      StopCondition stop, Batching batching) {
    List<long[]> ids = new ArrayList<>();
    for (String prompt : prompts) {
      ids.add(tokenizer.encode(prompt));
    }
    return generateIds(prompts, ids, config, stop, batching);
  }

  /** Like {@link #generate}, from token ids; {@code prompts} only label the results. */
  public List<Generation> generateIds(List<String> prompts, List<long[]> promptIds,
      GenerationConfig config) {
    return generateIds(prompts, promptIds, config, StopCondition.NEVER, Batching.all());
  }

  /** Like {@link #generate(List, GenerationConfig, StopCondition, Batching)}, from token ids. */
  public List<Generation> generateIds(List<String> prompts, List<long[]> promptIds,
      GenerationConfig config, StopCondition stop, Batching batching) {
    if (prompts.size() != promptIds.size()) {
      throw new BadInputException(promptIds.size() + " prompts of token ids but "
          + prompts.size() + " prompt texts to label them");
    }
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
      BatchGeneration.TokenChoice choice = new BatchGeneration.TokenChoice(scoring, choiceInGraph,
          scoring == TokenScoring.GRAPH && !choiceInGraph ? reducer() : null, vocab);
      return new BatchGeneration(session, tokenizer, signature, context, eosId, prompts,
          promptIds, config, cache, stop, batching, choice).loop();
    } catch (OrtException e) {
      throw new JobFailedException(session.modelPath() + ": generation failed ("
          + e.getMessage() + ")", e);
    }
  }

  /**
   * Teacher forcing: the logits of one whole sequence at once, without the cache ({@code [T, V]}
   * flat; row t scores the token after {@code ids[0..t]}), e.g. to compare two exports of a model.
   */
  public float[] logits(long[] ids) {
    int t = ids.length;
    if (t == 0 || t > context) {
      throw new BadInputException("a sequence of " + t + " tokens; " + session.modelPath()
          + " scores 1 to " + context);
    }
    long[] positions = new long[t];
    long[] mask = new long[t];
    for (int i = 0; i < t; i++) {
      positions[i] = i;
      mask[i] = 1;
    }
    try (OrtSession.Result r =
        BatchGeneration.runFromScratch(session, signature, ids, 1, t, mask, positions)) {
      FloatBuffer all = ((OnnxTensor) r.get("logits").orElseThrow()).getFloatBuffer();
      float[] out = new float[all.remaining()];
      all.get(out);
      return out;
    } catch (OrtException e) {
      throw new JobFailedException(session.modelPath() + ": scoring failed (" + e.getMessage()
          + ")", e);
    }
  }

  @Override
  public void close() {
    try {
      if (reducer != null) {
        reducer.close();
      }
      session.close();
    } finally {
      tokenizer.close();
    }
  }

  private synchronized LogitsReducer reducer() {
    if (reducer == null) {
      reducer = new LogitsReducer(session.config());
    }
    return reducer;
  }

  /**
   * {@code eos_token_id}: an id, or a list of ids (Hugging Face allows several; the first is used),
   * or absent (-1).
   */
  private static long eosId(Path file, JsonNode json) {
    JsonNode v = json.path("eos_token_id");
    if (v.isArray() && v.size() > 0) {
      v = v.get(0);
    }
    if (v.isMissingNode() || v.isNull() || (v.isArray() && v.isEmpty())) {
      return -1;
    }
    if (!v.canConvertToExactIntegral() || v.asLong() < 0) {
      throw BadInputException.of(file, "eos_token_id: expected a token id (an integer >= 0) or a "
          + "list of them, found " + json.path("eos_token_id"));
    }
    return v.asLong();
  }

  private static JsonNode optionalJson(Path file) {
    return Files.isRegularFile(file) ? JsonFile.readObject(file, "a model config JSON")
        : com.fasterxml.jackson.databind.node.MissingNode.getInstance();
  }
}
