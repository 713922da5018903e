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
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.stream.IntStream;

/**
 * One batched generation over a {@link CausalLm}'s session: left-padded prompts, per-row
 * positions and masks, the KV cache handed from each step's presents to the next step's past
 * (zero-copy: the previous result stays open until the next run is done), or the whole sequence
 * recomputed each step without it.
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
  private final boolean cache;
  private final TokenSampler sampler;
  private final OrtEnvironment env;
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

  BatchGeneration(ModelSession session, LmTokenizer tokenizer, LmSignature signature,
      int context, long eosId, List<String> prompts, List<long[]> ids, GenerationConfig config,
      boolean cache) {
    this.session = session;
    this.tokenizer = tokenizer;
    this.signature = signature;
    this.context = context;
    this.eosId = eosId;
    this.env = session.environment();
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
            result = null; // closed; a failing runStep must not close it again
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
    int[] ids = new int[batch];
    float[] lps = new float[batch];
    // choosing is a few passes over the vocabulary per row (a third of a step's time at batch 16
    // on one core), independent per row (each row has its own random stream), and runs while ORT
    // is idle: spread the rows over the cores
    IntStream rows = IntStream.range(0, batch);
    (batch >= PARALLEL_ROWS ? rows.parallel() : rows).forEach(b -> {
      if (finish[b] == null) {
        ids[b] = sampler.pick(logits, b * vocab, vocab, rngs[b]);
        lps[b] = TokenSampler.logProb(logits, b * vocab, vocab, ids[b]);
      }
    });
    boolean anyOpen = false;
    for (int b = 0; b < batch; b++) {
      if (finish[b] != null) {
        sequences.get(b)[length] = padId;
        continue;
      }
      int id = ids[b];
      generated.get(b).add((long) id);
      logProbs.get(b).add(lps[b]);
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
