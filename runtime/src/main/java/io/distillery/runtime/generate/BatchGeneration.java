package io.distillery.runtime.generate;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OnnxValue;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import io.distillery.runtime.session.ModelSession;
import java.nio.FloatBuffer;
import java.nio.LongBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.stream.IntStream;

/**
 * One generation over a {@link CausalLm}'s session, with continuous batching ({@link Batching}):
 * at most {@code maxRows} prompts are in the batch at a time; a row leaves when its prompt is
 * finished (end of text, a stop sequence, the caller's {@link StopCondition}, the token limit or
 * the context) and waiting prompts take the freed rows, so the batch stays full.
 *
 * <p>Every row keeps its own state: its tokens, its position ids (0 at its first real token), its
 * random stream (seeded from the config's seed and the prompt's index, so a prompt's sample does
 * not depend on the batch it ran in) and, with the cache, its slice of the past keys/values.
 * Rows are left-padded: row r's cached tokens are the last {@code cached(r)} of the batch's
 * {@code C} past columns and the attention mask hides the rest. Between rebuilds the presents of
 * one step are the next step's past as they are (zero-copy). A rebuild, when enough rows have
 * finished, prefills the new prompts on their own and copies the kept rows' slices and the new
 * ones into fresh past tensors {@code [R, H, C, D]} with {@code C} the longest kept row. Without
 * the cache every step recomputes the live rows' whole sequences.
 */
final class BatchGeneration {
  /** Batches at least this large choose their next tokens on several cores. */
  private static final int PARALLEL_ROWS = 4;

  private final ModelSession session;
  private final LmTokenizer tokenizer;
  private final LmSignature signature;
  private final int context;
  private final long eosId;
  private final List<String> prompts;
  private final GenerationConfig config;
  private final StopCondition stop;
  private final boolean cache;
  private final TokenSampler sampler;
  private final OrtEnvironment env;
  private final long padId;
  private final int maxRows;
  /** Finished rows that trigger a rebuild (refill, or shrink when no prompt waits). */
  private final int rebuildAt;
  private final boolean decodeEachStep;
  /** How a step's logits become tokens; see {@link TokenChoice}. */
  private enum Mode { IN_GRAPH, REDUCER, JAVA }

  /**
   * How the caller wants tokens chosen: where ({@code scoring}), whether the model session has the
   * reduction appended ({@link LogitsReducer#appendedTo}), the separate reducer session otherwise
   * (null for {@link TokenScoring#JAVA}), and the vocabulary size (-1 if the model does not say).
   */
  record TokenChoice(TokenScoring scoring, boolean inGraph, LogitsReducer reducer, int vocab) {}

  private final Mode mode;
  /** The k best logits a step needs (1 for greedy decoding; 0: every logit, in Java). */
  private final int topK;
  private final LogitsReducer reducer;
  /** The outputs to fetch in {@link Mode#IN_GRAPH} (no logits); null: every output. */
  private final Set<String> requested;
  /** The {@code k} input of a model with the choice appended (made once), else null. */
  private OnnxTensor kInput;

  /** Per prompt: its ids, then the generated ones ({@code length[p]} so far). */
  private final long[][] tokens;
  private final int[] promptLength;
  private final int[] length;
  private final float[][] logProbs;
  private final FinishReason[] finish;
  private final SplittableRandom[] rngs;
  /** Prompts that have entered the batch (they enter in order). */
  private int admitted;

  BatchGeneration(ModelSession session, LmTokenizer tokenizer, LmSignature signature,
      int context, long eosId, List<String> prompts, List<long[]> ids, GenerationConfig config,
      boolean cache, StopCondition stop, Batching batching, TokenChoice choice) {
    this.session = session;
    this.tokenizer = tokenizer;
    this.signature = signature;
    this.context = context;
    this.eosId = eosId;
    this.env = session.environment();
    this.prompts = prompts;
    this.config = config;
    this.stop = stop;
    this.cache = cache;
    this.sampler = new TokenSampler(config);
    int k = choice.vocab() > 0 ? sampler.topNeeded(choice.vocab())
        : config.greedyDecoding() ? 1 : 0; // a vocabulary of unknown size: top-k may not fit
    this.topK = k;
    this.mode = k == 0 || choice.scoring() == TokenScoring.JAVA ? Mode.JAVA
        : choice.inGraph() ? Mode.IN_GRAPH : Mode.REDUCER;
    this.reducer = choice.reducer();
    this.requested = mode == Mode.IN_GRAPH ? inGraphOutputs(signature) : null;
    this.padId = eosId >= 0 ? eosId : 0;
    int n = ids.size();
    this.maxRows = batching.maxRows() == 0 ? n : Math.min(batching.maxRows(), n);
    this.rebuildAt = batching.rowsLeave() ? Math.max(1, (this.maxRows + 3) / 4) : Integer.MAX_VALUE;
    this.decodeEachStep = stop != StopCondition.NEVER || !config.stopSequences().isEmpty();
    this.tokens = new long[n][];
    this.promptLength = new int[n];
    this.length = new int[n];
    this.logProbs = new float[n][];
    this.finish = new FinishReason[n];
    this.rngs = new SplittableRandom[n];
    for (int p = 0; p < n; p++) {
      long[] prompt = ids.get(p);
      tokens[p] = Arrays.copyOf(prompt, prompt.length + config.maxNewTokens());
      promptLength[p] = prompt.length;
      length[p] = prompt.length;
      logProbs[p] = new float[config.maxNewTokens()];
      rngs[p] = new SplittableRandom(config.seed() ^ (0x9E3779B97F4A7C15L * (p + 1)));
    }
  }

  List<Generation> loop() throws OrtException {
    if (session.inputNames().contains(LogitsReducer.IN_GRAPH_K)) {
      kInput = LogitsReducer.topK(Math.max(1, topK));
    }
    try {
      if (cache) {
        loopCached();
      } else {
        loopRecomputed();
      }
    } finally {
      if (kInput != null) {
        kInput.close();
      }
    }
    List<Generation> out = new ArrayList<>(tokens.length);
    for (int p = 0; p < tokens.length; p++) {
      int produced = length[p] - promptLength[p];
      long[] generated = Arrays.copyOfRange(tokens[p], promptLength[p], length[p]);
      String text = tokenizer.decode(generated);
      if (finish[p] == FinishReason.STOP_SEQUENCE) {
        text = text.substring(0, stopIndex(text));
      }
      out.add(new Generation(prompts.get(p), text, generated,
          Arrays.copyOf(logProbs[p], produced), finish[p]));
    }
    return out;
  }

  // ---------------------------------------------------------------- with the KV cache

  private void loopCached() throws OrtException {
    CachedRows batch = CachedRows.EMPTY;
    try {
      while (true) {
        int live = live(batch.rowPrompt);
        int dead = batch.rows() - live;
        boolean waiting = admitted < tokens.length;
        if (live == 0 && !waiting) {
          break;
        }
        boolean refill = waiting && (live == 0 || maxRows - live >= rebuildAt);
        boolean shrink = !waiting && dead >= rebuildAt;
        CachedRows next = refill || shrink ? rebuild(batch) : step(batch);
        batch = next; // the call closed the old batch
      }
    } finally {
      batch.close();
    }
  }

  /** One decoding step of every row; closes {@code b}. */
  private CachedRows step(CachedRows b) throws OrtException {
    int rows = b.rows();
    int columns = b.columns;
    long[] ids = new long[rows];
    long[] positions = new long[rows];
    long[] mask = new long[rows * (columns + 1)]; // [R, C + 1]
    for (int r = 0; r < rows; r++) {
      int p = b.rowPrompt[r];
      if (finish[p] == null) {
        ids[r] = tokens[p][length[p] - 1];
        positions[r] = length[p] - 1;
        int cached = length[p] - 1;
        Arrays.fill(mask, r * (columns + 1) + columns - cached, (r + 1) * (columns + 1), 1L);
      } else { // finished, waiting for the next rebuild: any valid input, its output is unused
        ids[r] = padId;
        Arrays.fill(mask, r * (columns + 1), (r + 1) * (columns + 1), 1L);
      }
    }
    OrtSession.Result result;
    try {
      result = run(ids, rows, 1, mask, columns + 1, positions, b.past);
    } finally {
      b.close();
    }
    try {
      advance(b.rowPrompt, result);
      return new CachedRows(b.rowPrompt, columns + 1, presents(result), result);
    } catch (RuntimeException e) {
      result.close();
      throw e;
    }
  }

  /**
   * A new batch: the unfinished rows of {@code old}, then waiting prompts in the free rows (each
   * prefilled and given its first token); closes {@code old}.
   */
  private CachedRows rebuild(CachedRows old) throws OrtException {
    try (old) {
      if (rebuildAt == Integer.MAX_VALUE && live(old.rowPrompt) > 0) {
        throw new IllegalStateException("rows may not leave but a rebuild was asked for");
      }
      int[] kept = Arrays.stream(old.rowPrompt).filter(p -> finish[p] == null).toArray();
      int take = Math.min(maxRows - kept.length, tokens.length - admitted);
      int[] fresh = IntStream.range(admitted, admitted + take).toArray();
      admitted += take;
      OrtSession.Result pre = null;
      int width = 0;
      try {
        if (take > 0) {
          width = Arrays.stream(fresh).map(p -> promptLength[p]).max().orElseThrow();
          pre = prefill(fresh, width);
          advance(fresh, pre);
        }
        int[] freshLive = Arrays.stream(fresh).filter(p -> finish[p] == null).toArray();
        if (kept.length == 0 && freshLive.length == take && pre != null) { // the prefill as is
          CachedRows b = new CachedRows(fresh, width, presents(pre), pre);
          pre = null;
          return b;
        }
        int[] rows = IntStream.concat(Arrays.stream(kept), Arrays.stream(freshLive)).toArray();
        if (rows.length == 0) {
          return CachedRows.EMPTY;
        }
        List<CachedRows.Slice> slices = new ArrayList<>(rows.length);
        for (int p : kept) {
          slices.add(new CachedRows.Slice(old, indexOf(old.rowPrompt, p), length[p] - 1));
        }
        CachedRows prefilled = pre == null ? null
            : new CachedRows(fresh, width, presents(pre), null);
        for (int p : freshLive) {
          slices.add(new CachedRows.Slice(prefilled, indexOf(fresh, p), length[p] - 1));
        }
        return CachedRows.gather(env, signature, rows, slices);
      } finally {
        if (pre != null) {
          pre.close();
        }
      }
    }
  }

  /** Runs the prompts {@code fresh}, left-padded to {@code width}, with an empty past. */
  private OrtSession.Result prefill(int[] fresh, int width) throws OrtException {
    int n = fresh.length;
    long[] ids = new long[n * width];
    long[] positions = new long[n * width];
    long[] mask = new long[n * width];
    for (int r = 0; r < n; r++) {
      int p = fresh[r];
      int pad = width - promptLength[p];
      for (int i = 0; i < width; i++) {
        boolean real = i >= pad;
        ids[r * width + i] = real ? tokens[p][i - pad] : padId;
        mask[r * width + i] = real ? 1 : 0;
        positions[r * width + i] = real ? i - pad : 0;
      }
    }
    return runFromScratch(ids, n, width, mask, positions);
  }

  /** Runs {@code [rows, width]} tokens with an empty past when the model takes one. */
  private OrtSession.Result runFromScratch(long[] ids, int rows, int width, long[] mask,
      long[] positions) throws OrtException {
    return runFromScratch(session, signature, ids, rows, width, mask, positions, kInput,
        requested);
  }

  /**
   * Runs {@code [rows, width]} tokens of {@code session} with an empty past when the model takes
   * one (also {@link CausalLm#logits}, teacher forcing).
   */
  static OrtSession.Result runFromScratch(ModelSession session, LmSignature signature, long[] ids,
      int rows, int width, long[] mask, long[] positions) throws OrtException {
    if (!session.inputNames().contains(LogitsReducer.IN_GRAPH_K)) {
      return runFromScratch(session, signature, ids, rows, width, mask, positions, null, null);
    }
    try (OnnxTensor k = LogitsReducer.topK(1)) {
      return runFromScratch(session, signature, ids, rows, width, mask, positions, k, null);
    }
  }

  private static OrtSession.Result runFromScratch(ModelSession session, LmSignature signature,
      long[] ids, int rows, int width, long[] mask, long[] positions, OnnxTensor k,
      Set<String> requested) throws OrtException {
    OrtEnvironment env = session.environment();
    Map<String, OnnxTensor> empty = new HashMap<>();
    try {
      for (int l = 0; l < signature.layers(); l++) {
        for (String kind : new String[] {"key", "value"}) {
          empty.put("present." + l + "." + kind, OnnxTensor.createTensor(env,
              FloatBuffer.allocate(0), new long[] {rows, signature.heads(), 0,
                  signature.headDim()}));
        }
      }
      return run(session, signature, ids, rows, width, mask, width, positions, empty, k,
          requested);
    } finally {
      empty.values().forEach(OnnxValue::close);
    }
  }

  /** The outputs a step needs when the model chooses the tokens: the reduction and the cache. */
  private static Set<String> inGraphOutputs(LmSignature signature) {
    Set<String> out = new HashSet<>(List.of(LogitsReducer.IN_GRAPH_TOP_VALUES,
        LogitsReducer.IN_GRAPH_TOP_IDS, LogitsReducer.IN_GRAPH_LOG_SUM_EXP));
    for (int l = 0; l < signature.layers(); l++) {
      out.add("present." + l + ".key");
      out.add("present." + l + ".value");
    }
    return out;
  }

  /** The {@code present.*} outputs of a step, by name. */
  private Map<String, OnnxTensor> presents(OrtSession.Result result) {
    Map<String, OnnxTensor> out = new HashMap<>();
    for (int l = 0; l < signature.layers(); l++) {
      for (String kind : new String[] {"key", "value"}) {
        String name = "present." + l + "." + kind;
        out.put(name, (OnnxTensor) result.get(name).orElseThrow());
      }
    }
    return out;
  }

  // ---------------------------------------------------------------- without the cache

  /** Every step feeds the live rows' whole sequences; waiting prompts join as rows finish. */
  private void loopRecomputed() throws OrtException {
    List<Integer> live = new ArrayList<>();
    while (true) {
      if (rebuildAt != Integer.MAX_VALUE || live.stream().allMatch(p -> finish[p] != null)) {
        live.removeIf(p -> finish[p] != null);
      }
      while (live.size() < maxRows && admitted < tokens.length) {
        live.add(admitted++);
      }
      if (live.isEmpty()) {
        return;
      }
      int[] rows = live.stream().mapToInt(Integer::intValue).toArray();
      int width = Arrays.stream(rows).map(p -> length[p]).max().orElseThrow();
      int n = rows.length;
      long[] ids = new long[n * width];
      long[] positions = new long[n * width];
      long[] mask = new long[n * width];
      for (int r = 0; r < n; r++) {
        int p = rows[r];
        int pad = width - length[p];
        for (int i = 0; i < width; i++) {
          boolean real = i >= pad;
          ids[r * width + i] = real ? tokens[p][i - pad] : padId;
          mask[r * width + i] = real ? 1 : 0;
          positions[r * width + i] = real ? Math.min(context - 1, i - pad) : 0;
        }
      }
      try (OrtSession.Result result = runFromScratch(ids, n, width, mask, positions)) {
        advance(rows, result);
      }
    }
  }

  // ---------------------------------------------------------------- shared

  /**
   * Picks the next token of every unfinished prompt in {@code rows} from the last position of its
   * row of the result's logits: from the k best logits the model's run already reduced them to
   * ({@link Mode#IN_GRAPH}), or the {@link LogitsReducer} session reduces them to ({@link
   * Mode#REDUCER}), else by passes over the whole vocabulary in Java.
   */
  private void advance(int[] rows, OrtSession.Result result) throws OrtException {
    LogitsReducer.Reduced top;
    switch (mode) {
      case IN_GRAPH -> top = LogitsReducer.read(result, topK);
      case REDUCER -> top = reducer.reduce((OnnxTensor) result.get("logits").orElseThrow(), topK);
      default -> {
        advance(rows, lastPositions(result, rows.length));
        return;
      }
    }
    int k = topK;
    int n = rows.length;
    int[] ids = new int[n];
    float[] lps = new float[n];
    for (int r = 0; r < n; r++) {
      int p = rows[r];
      if (finish[p] == null) {
        int j = sampler.pickFromTop(top.values(), r * k, k, rngs[p]);
        ids[r] = (int) top.ids()[r * k + j];
        lps[r] = top.values()[r * k + j] - top.logSumExp()[r];
      }
    }
    append(rows, ids, lps);
  }

  /** Picks the next token of every unfinished prompt in {@code rows} from its row of logits. */
  private void advance(int[] rows, float[] logits) {
    int n = rows.length;
    int vocab = logits.length / Math.max(1, n);
    int[] ids = new int[n];
    float[] lps = new float[n];
    // choosing is a few passes over the vocabulary per row (a third of a step's time at batch 16
    // on one core), independent per row (each prompt has its own random stream), and runs while
    // ORT is idle: spread the rows over the cores
    IntStream range = IntStream.range(0, n);
    (n >= PARALLEL_ROWS ? range.parallel() : range).forEach(r -> {
      int p = rows[r];
      if (finish[p] == null) {
        ids[r] = sampler.pick(logits, r * vocab, vocab, rngs[p]);
        lps[r] = TokenSampler.logProb(logits, r * vocab, vocab, ids[r]);
      }
    });
    append(rows, ids, lps);
  }

  /** Appends each unfinished row's chosen token and log-probability, then checks its stops. */
  private void append(int[] rows, int[] ids, float[] lps) {
    for (int r = 0; r < rows.length; r++) {
      int p = rows[r];
      if (finish[p] != null) {
        continue;
      }
      int id = ids[r];
      int produced = length[p] - promptLength[p];
      tokens[p][length[p]++] = id;
      logProbs[p][produced++] = lps[r];
      String text = decodeEachStep ? tokenizer.decode(
          Arrays.copyOfRange(tokens[p], promptLength[p], length[p])) : null;
      if (config.stopAtEos() && id == eosId) {
        finish[p] = FinishReason.EOS;
      } else if (!config.stopSequences().isEmpty() && stopIndex(text) >= 0) {
        finish[p] = FinishReason.STOP_SEQUENCE;
      } else if (stop.done(p, text)) {
        finish[p] = FinishReason.STOP_CONDITION;
      } else if (produced >= config.maxNewTokens()) {
        finish[p] = FinishReason.LENGTH;
      } else if (length[p] >= context) {
        finish[p] = FinishReason.CONTEXT;
      }
    }
  }

  private int live(int[] rowPrompt) {
    int live = 0;
    for (int p : rowPrompt) {
      if (finish[p] == null) {
        live++;
      }
    }
    return live;
  }

  private static int indexOf(int[] values, int value) {
    for (int i = 0; i < values.length; i++) {
      if (values[i] == value) {
        return i;
      }
    }
    throw new IllegalStateException("row for prompt " + value + " not found");
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
   * Runs the model: {@code input_ids} and {@code position_ids} {@code [rows, fed]},
   * {@code attention_mask} {@code [rows, seen]}, and the given past (not closed here).
   */
  private OrtSession.Result run(long[] ids, int rows, int fed, long[] mask, int seen,
      long[] positions, Map<String, OnnxTensor> past) throws OrtException {
    return run(session, signature, ids, rows, fed, mask, seen, positions, past, kInput,
        requested);
  }

  /**
   * Runs the model once; a model with the reduction appended also gets its {@code k} input (not
   * closed here), and only the {@code requested} outputs are fetched (null: all).
   */
  private static OrtSession.Result run(ModelSession session, LmSignature signature, long[] ids,
      int rows, int fed, long[] mask, int seen, long[] positions, Map<String, OnnxTensor> past,
      OnnxTensor k, Set<String> requested) throws OrtException {
    OrtEnvironment env = session.environment();
    Map<String, OnnxTensor> owned = new HashMap<>();
    Map<String, OnnxTensor> inputs = new HashMap<>();
    try {
      owned.put("input_ids", longs(env, ids, rows, fed));
      if (signature.hasAttentionMask()) {
        owned.put("attention_mask", longs(env, mask, rows, seen));
      }
      if (signature.hasPositionIds()) {
        owned.put("position_ids", longs(env, positions, rows, fed));
      }
      inputs.putAll(owned);
      if (k != null) {
        inputs.put(LogitsReducer.IN_GRAPH_K, k);
      }
      for (Map.Entry<String, OnnxTensor> e : past.entrySet()) {
        inputs.put("past_key_values." + e.getKey().substring("present.".length()), e.getValue());
      }
      return requested == null ? session.session().run(inputs)
          : session.session().run(inputs, requested);
    } finally {
      owned.values().forEach(OnnxValue::close);
    }
  }

  private static OnnxTensor longs(OrtEnvironment env, long[] values, int rows, int cols)
      throws OrtException {
    return OnnxTensor.createTensor(env, LongBuffer.wrap(values), new long[] {rows, cols});
  }

  /** The logits of each row's last position: {@code [B, V]} flat. */
  private static float[] lastPositions(OrtSession.Result result, int batch) {
    OnnxTensor logits = (OnnxTensor) result.get("logits").orElseThrow();
    long[] shape = logits.getInfo().getShape(); // [B, T, V]
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
