package io.distillery.train.distill;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Random;

/**
 * The batches of one epoch, a pure function of (lengths, batch size, seed, epoch), so a resumed
 * run replays exactly the batches an uninterrupted one would. Examples are shuffled, cut into
 * pools of {@value #POOL_BATCHES} batches, sorted by length inside each pool (so a batch pads to a
 * length close to all of its rows), cut into batches, and the batches shuffled again. Every epoch
 * has {@code ceil(n / batchSize)} batches; only the last pool may end in a short batch.
 */
final class EpochPlan {
  static final int POOL_BATCHES = 50;

  private EpochPlan() {}

  static List<int[]> batches(int[] lengths, int batchSize, long seed, int epoch) {
    int n = lengths.length;
    Random rng = new Random(mix(seed, epoch));
    List<Integer> order = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      order.add(i);
    }
    Collections.shuffle(order, rng);
    int pool = batchSize * POOL_BATCHES;
    List<int[]> batches = new ArrayList<>();
    for (int start = 0; start < n; start += pool) {
      Integer[] chunk = order.subList(start, Math.min(n, start + pool)).toArray(Integer[]::new);
      Arrays.sort(chunk, Comparator.comparingInt(i -> lengths[i])); // stable
      for (int b = 0; b < chunk.length; b += batchSize) {
        int end = Math.min(chunk.length, b + batchSize);
        int[] rows = new int[end - b];
        for (int k = b; k < end; k++) {
          rows[k - b] = chunk[k];
        }
        batches.add(rows);
      }
    }
    Collections.shuffle(batches, rng);
    return batches;
  }

  /** A well-mixed 64-bit seed for (seed, index) (SplitMix64 finaliser). */
  static long mix(long seed, long index) {
    long z = seed + 0x9E3779B97F4A7C15L * (index + 1);
    z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
    z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
    return z ^ (z >>> 31);
  }
}
