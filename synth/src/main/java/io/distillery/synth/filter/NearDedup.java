package io.distillery.synth.filter;

import java.util.Arrays;

/**
 * Near duplicates by MinHash with locality-sensitive hashing, over the last {@code window}
 * accepted texts. Signatures ({@value MinHasher#NUM_HASHES} ints) are split into {@value #BANDS}
 * bands of {@value #ROWS} rows; texts sharing any band are candidates, and a candidate whose
 * estimated Jaccard similarity reaches the threshold is a duplicate (with 16 x 4 bands a pair at
 * Jaccard 0.8 shares a band with probability 0.9998, at 0.5 with 0.64).
 *
 * <p>Memory: signatures, not texts. Each remembered text costs its signature (256 bytes), one
 * chain pointer per band (64 bytes) and its band entries in the index (up to ~500 bytes at the
 * index's worst load), so about 800 bytes at most. Chains link each band entry to the previous
 * text with the same band, newest first; entries older than the window read as absent, and the
 * index is rebuilt from the live signatures once stale entries pile up.
 */
public final class NearDedup {
  public static final int BANDS = 16;
  public static final int ROWS = MinHasher.NUM_HASHES / BANDS;
  /** At most this many candidates are compared per band, so a very common band stays cheap. */
  public static final int MAX_CHAIN = 64;

  private final int window;
  private final double threshold;
  private final LongIntTable index = new LongIntTable();
  private int[] signatures = new int[16 * MinHasher.NUM_HASHES];
  private int[] previous = new int[16 * BANDS];
  private int count;

  public NearDedup(int window, double threshold) {
    if (window < 1) {
      throw new IllegalArgumentException("window must be >= 1, got " + window);
    }
    if (!(threshold > 0 && threshold <= 1)) {
      throw new IllegalArgumentException("threshold must be in (0, 1], got " + threshold);
    }
    this.window = window;
    this.threshold = threshold;
  }

  /** Whether a remembered text has estimated Jaccard similarity >= the threshold with {@code sig}. */
  public boolean contains(int[] sig) {
    int oldest = oldest();
    for (int b = 0; b < BANDS; b++) {
      int seq = index.get(bandKey(sig, 0, b));
      for (int steps = 0; seq >= oldest && steps < MAX_CHAIN; steps++) {
        int slot = seq % window;
        if (bandEquals(sig, slot, b) && similarity(sig, slot) >= threshold) {
          return true;
        }
        seq = previous[slot * BANDS + b];
      }
    }
    return false;
  }

  public void add(int[] sig) {
    if (count == Integer.MAX_VALUE) {
      throw new IllegalStateException("dedup holds at most " + Integer.MAX_VALUE + " additions");
    }
    int slot = count % window;
    if ((slot + 1) * MinHasher.NUM_HASHES > signatures.length) {
      int slots = (int) Math.min(window, signatures.length / MinHasher.NUM_HASHES * 2L);
      signatures = Arrays.copyOf(signatures, slots * MinHasher.NUM_HASHES);
      previous = Arrays.copyOf(previous, slots * BANDS);
    }
    System.arraycopy(sig, 0, signatures, slot * MinHasher.NUM_HASHES, MinHasher.NUM_HASHES);
    link(count);
    count++;
    if (index.size() > (long) window * BANDS + (long) window * BANDS / 4) {
      rebuild();
    }
  }

  private void link(int seq) {
    int slot = seq % window;
    for (int b = 0; b < BANDS; b++) {
      long key = bandKey(signatures, slot * MinHasher.NUM_HASHES, b);
      previous[slot * BANDS + b] = index.get(key);
      index.put(key, seq);
    }
  }

  private void rebuild() {
    index.clear();
    for (int seq = oldest(); seq < count; seq++) {
      link(seq);
    }
  }

  private static long bandKey(int[] sig, int offset, int band) {
    long h = band;
    for (int r = 0; r < ROWS; r++) {
      h = Hashing.combine(h, sig[offset + band * ROWS + r]);
    }
    return h;
  }

  private boolean bandEquals(int[] sig, int slot, int band) {
    int base = slot * MinHasher.NUM_HASHES + band * ROWS;
    for (int r = 0; r < ROWS; r++) {
      if (signatures[base + r] != sig[band * ROWS + r]) {
        return false;
      }
    }
    return true;
  }

  private double similarity(int[] sig, int slot) {
    int base = slot * MinHasher.NUM_HASHES;
    int same = 0;
    for (int i = 0; i < MinHasher.NUM_HASHES; i++) {
      if (signatures[base + i] == sig[i]) {
        same++;
      }
    }
    return same / (double) MinHasher.NUM_HASHES;
  }

  private int oldest() {
    return Math.max(0, count - window);
  }

  /** Texts remembered now (at most the window). */
  public int size() {
    return count - oldest();
  }

  public long memoryBytes() {
    return signatures.length * 4L + previous.length * 4L + index.memoryBytes();
  }

  /** Slots of the index, for tests of the memory bound. */
  int indexCapacity() {
    return index.capacity();
  }
}
