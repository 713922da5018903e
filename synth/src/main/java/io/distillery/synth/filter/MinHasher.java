package io.distillery.synth.filter;

import java.util.List;
import java.util.SplittableRandom;

/**
 * MinHash signatures of a text's word shingles (runs of {@code shingleSize} consecutive normalised
 * words; a shorter text is one shingle). The fraction of equal signature entries of two texts
 * estimates the Jaccard similarity of their shingle sets. Seeds are fixed, so signatures are
 * stable across runs.
 */
public final class MinHasher {
  /** Signature length: 16 bands of 4 rows. */
  public static final int NUM_HASHES = 64;

  private static final long[] SEEDS = new long[NUM_HASHES];

  static {
    SplittableRandom rng = new SplittableRandom(0x5EED_D15711L);
    for (int i = 0; i < NUM_HASHES; i++) {
      SEEDS[i] = rng.nextLong();
    }
  }

  private final int shingleSize;

  public MinHasher(int shingleSize) {
    if (shingleSize < 1) {
      throw new IllegalArgumentException("shingleSize must be >= 1, got " + shingleSize);
    }
    this.shingleSize = shingleSize;
  }

  /** The signature {@code [NUM_HASHES]}, or null for a text with no words. */
  public int[] signature(List<String> words) {
    if (words.isEmpty()) {
      return null;
    }
    long[] wordHashes = new long[words.size()];
    for (int i = 0; i < wordHashes.length; i++) {
      wordHashes[i] = Hashing.of(words.get(i));
    }
    int shingles = Math.max(1, wordHashes.length - shingleSize + 1);
    int width = Math.min(shingleSize, wordHashes.length);
    int[] sig = new int[NUM_HASHES];
    java.util.Arrays.fill(sig, Integer.MAX_VALUE);
    for (int s = 0; s < shingles; s++) {
      long h = 0;
      for (int w = 0; w < width; w++) {
        h = Hashing.combine(h, wordHashes[s + w]);
      }
      for (int i = 0; i < NUM_HASHES; i++) {
        int v = (int) (Hashing.mix64(h ^ SEEDS[i]) >>> 33);
        if (v < sig[i]) {
          sig[i] = v;
        }
      }
    }
    return sig;
  }

  /** Estimated Jaccard similarity: the fraction of equal entries. */
  public static double similarity(int[] a, int[] b) {
    int same = 0;
    for (int i = 0; i < a.length; i++) {
      if (a[i] == b[i]) {
        same++;
      }
    }
    return same / (double) a.length;
  }
}
