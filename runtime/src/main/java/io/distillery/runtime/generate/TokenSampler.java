package io.distillery.runtime.generate;

import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * Picks the next token from one row of logits: greedy (argmax) or sampling with temperature,
 * top-k and top-p. Also gives the token's log-probability under the raw logits. Works on
 * primitive arrays: with top-k, a bounded heap keeps the k best in one pass over the vocabulary.
 */
final class TokenSampler {
  private final GenerationConfig config;

  TokenSampler(GenerationConfig config) {
    this.config = config;
  }

  /** The chosen id; {@code rng} is only used when sampling. */
  int pick(float[] logits, int offset, int vocab, SplittableRandom rng) {
    if (config.greedyDecoding()) {
      int best = 0;
      for (int i = 1; i < vocab; i++) {
        if (logits[offset + i] > logits[offset + best]) {
          best = i;
        }
      }
      return best;
    }
    int[] order = config.topK() > 0 && config.topK() < vocab
        ? topK(logits, offset, vocab, config.topK())
        : sortedIds(logits, offset, vocab);
    float[] sorted = new float[order.length];
    for (int i = 0; i < order.length; i++) {
      sorted[i] = logits[offset + order[i]];
    }
    return order[sample(sorted, 0, order.length, rng)];
  }

  /**
   * Like {@link #pick}, from a row's {@code k} best logits, best first ({@code values[offset..
   * offset + k)}, as {@link LogitsReducer} gives them; k is 1 for greedy decoding, the config's
   * top-k when sampling): the index in that list of the chosen token. Same numbers, same choice.
   */
  int pickFromTop(float[] values, int offset, int k, SplittableRandom rng) {
    return config.greedyDecoding() ? 0 : sample(values, offset, k, rng);
  }

  /**
   * The number of top-k entries {@link #pickFromTop} needs: 1 for greedy decoding, the top-k when
   * it is below the vocabulary, 0 when sampling needs every logit (no top-k).
   */
  int topNeeded(int vocab) {
    if (config.greedyDecoding()) {
      return 1;
    }
    return config.topK() > 0 && config.topK() < vocab ? config.topK() : 0;
  }

  /**
   * Temperature, then top-p, sampling over logits sorted best first ({@code sorted[offset..
   * offset + keep)}): the index of the draw.
   */
  private int sample(float[] sorted, int offset, int keep, SplittableRandom rng) {
    double t = config.temperature();
    double max = sorted[offset] / t;
    double[] p = new double[keep];
    double sum = 0;
    for (int i = 0; i < keep; i++) {
      p[i] = Math.exp(sorted[offset + i] / t - max);
      sum += p[i];
    }
    if (config.topP() < 1) {
      double cum = 0;
      for (int i = 0; i < keep; i++) {
        cum += p[i];
        if (cum >= config.topP() * sum) {
          keep = i + 1;
          break;
        }
      }
      sum = 0;
      for (int i = 0; i < keep; i++) {
        sum += p[i];
      }
    }
    double u = rng.nextDouble() * sum;
    for (int i = 0; i < keep; i++) {
      u -= p[i];
      if (u < 0) {
        return i;
      }
    }
    return keep - 1;
  }

  /** The k highest-scoring ids, best first (ties: lower id first). */
  static int[] topK(float[] logits, int offset, int vocab, int k) {
    int[] heap = new int[k]; // min-heap of ids by logit: heap[0] is the worst kept
    int size = 0;
    for (int id = 0; id < vocab; id++) {
      if (size < k) {
        heap[size] = id;
        siftUp(heap, size++, logits, offset);
      } else if (better(id, heap[0], logits, offset)) {
        heap[0] = id;
        siftDown(heap, k, logits, offset);
      }
    }
    int[] out = new int[k];
    for (int i = k - 1; i >= 0; i--) { // pop worst first
      out[i] = heap[0];
      heap[0] = heap[--size];
      siftDown(heap, size, logits, offset);
    }
    return out;
  }

  /** All ids by descending logit (ties: lower id first), via one primitive sort. */
  static int[] sortedIds(float[] logits, int offset, int vocab) {
    long[] keys = new long[vocab];
    for (int id = 0; id < vocab; id++) {
      int bits = Float.floatToIntBits(logits[offset + id]);
      int ordered = bits >= 0 ? bits : bits ^ 0x7fffffff; // monotone in the float value
      keys[id] = ((long) ~ordered << 32) | id; // ascending key = descending logit
    }
    Arrays.sort(keys);
    int[] out = new int[vocab];
    for (int i = 0; i < vocab; i++) {
      out[i] = (int) keys[i];
    }
    return out;
  }

  private static boolean better(int a, int b, float[] logits, int offset) {
    float la = logits[offset + a];
    float lb = logits[offset + b];
    return la > lb || (la == lb && a < b);
  }

  private static void siftUp(int[] heap, int i, float[] logits, int offset) {
    while (i > 0) {
      int parent = (i - 1) / 2;
      if (!better(heap[parent], heap[i], logits, offset)) {
        break;
      }
      int tmp = heap[parent];
      heap[parent] = heap[i];
      heap[i] = tmp;
      i = parent;
    }
  }

  private static void siftDown(int[] heap, int size, float[] logits, int offset) {
    int i = 0;
    while (true) {
      int l = 2 * i + 1;
      int r = l + 1;
      int worst = i;
      if (l < size && better(heap[worst], heap[l], logits, offset)) {
        worst = l;
      }
      if (r < size && better(heap[worst], heap[r], logits, offset)) {
        worst = r;
      }
      if (worst == i) {
        return;
      }
      int tmp = heap[worst];
      heap[worst] = heap[i];
      heap[i] = tmp;
      i = worst;
    }
  }

  /**
   * {@code log softmax(logits)[id]}. Runs once per generated token over the whole vocabulary (8,192
   * exponentials per token for the demo generator: with {@link Math#exp} a third of a batch-16
   * decode step's time once the graph is int8), so it uses {@link #exp}.
   */
  static float logProb(float[] logits, int offset, int vocab, int id) {
    float max = Float.NEGATIVE_INFINITY;
    for (int i = 0; i < vocab; i++) {
      max = Math.max(max, logits[offset + i]);
    }
    double sum = 0;
    for (int i = 0; i < vocab; i++) {
      // below -87 a float exponential underflows; such terms cannot move a sum that is >= 1
      sum += exp(Math.max(logits[offset + i] - max, -87f));
    }
    return (float) (logits[offset + id] - max - Math.log(sum));
  }

  private static final float LOG2_E = 1.4426950408889634f;
  // ln 2 in two parts (Cody and Waite): i * LN2_HI is exact in float for |i| < 2^11
  private static final float LN2_HI = 0.693145751953125f;
  private static final float LN2_LO = 1.428606765330187e-6f;

  /**
   * {@code e^x} for x in [-87, 0], within float precision of {@link Math#exp} and several times
   * faster: x = i ln 2 + r with i an integer and |r| <= ln(2) / 2, so e^x = 2^i (exponent bits) *
   * e^r, e^r by its degree-7 Taylor polynomial (truncation error below 1e-8).
   */
  static float exp(float x) {
    int i = Math.round(x * LOG2_E);
    float r = (x - i * LN2_HI) - i * LN2_LO;
    float p = 1f + r * (1f + r * (1f / 2 + r * (1f / 6 + r * (1f / 24 + r * (1f / 120
        + r * (1f / 720 + r * (1f / 5040)))))));
    return Float.intBitsToFloat((i + 127) << 23) * p;
  }
}
