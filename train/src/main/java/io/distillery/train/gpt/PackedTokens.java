package io.distillery.train.gpt;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import io.distillery.core.ConfigException;
import java.util.SplittableRandom;

/**
 * Documents tokenized and packed end to end (separated by an end-of-text token) into one token
 * stream; training reads random windows of T + 1 tokens from it, evaluation reads consecutive
 * windows.
 *
 * @param tokens the packed stream
 */
public record PackedTokens(int[] tokens) {
  public PackedTokens {
    if (tokens.length < 2) {
      throw new ConfigException("a token stream needs at least 2 tokens, got " + tokens.length);
    }
  }

  public int size() {
    return tokens.length;
  }

  /** Inputs and next-token targets, both {@code [B, T]} int64. */
  public record Batch(NDArray inputs, NDArray targets) {}

  /**
   * B windows at offsets drawn from {@code seed} and {@code step} alone, so a resumed run reads
   * exactly the batches the uninterrupted run would have.
   */
  public Batch randomBatch(NDManager m, int batch, int t, long seed, int step) {
    requireLength(t);
    SplittableRandom rng = new SplittableRandom(seed ^ (0x9E3779B97F4A7C15L * (step + 1L)));
    int[] starts = new int[batch];
    for (int b = 0; b < batch; b++) {
      starts[b] = rng.nextInt(tokens.length - t);
    }
    return windows(m, starts, t);
  }

  /** Windows starting at the given offsets, each of T inputs and T targets. */
  public Batch windows(NDManager m, int[] starts, int t) {
    requireLength(t);
    long[] in = new long[starts.length * t];
    long[] out = new long[starts.length * t];
    for (int b = 0; b < starts.length; b++) {
      for (int i = 0; i < t; i++) {
        in[b * t + i] = tokens[starts[b] + i];
        out[b * t + i] = tokens[starts[b] + i + 1];
      }
    }
    Shape shape = new Shape(starts.length, t);
    return new Batch(m.create(in, shape), m.create(out, shape));
  }

  /** Whole windows of T predicted tokens that fit: {@code (size - 1) / T}. */
  public int windowCount(int t) {
    return (tokens.length - 1) / t;
  }

  private void requireLength(int t) {
    if (tokens.length < t + 1) {
      throw new ConfigException("token stream of " + tokens.length + " tokens is shorter than one"
          + " window of " + (t + 1));
    }
  }
}
