package io.distillery.synth.filter;

/**
 * Exact duplicates by a 64-bit hash of the normalised text (lower case, words only, single
 * spaces), over the last {@code window} accepted texts. Stores hashes, never texts: at most about
 * 60 bytes per remembered text.
 *
 * <p>Each hash gets a sequence number; the index maps a hash to its latest sequence number and
 * entries older than the window read as absent. Stale entries are dropped by rebuilding the index
 * from the ring of live hashes once they outnumber the live ones.
 */
public final class ExactDedup {
  private final int window;
  private final LongIntTable index = new LongIntTable();
  private long[] ring = new long[16];
  private int count;

  public ExactDedup(int window) {
    if (window < 1) {
      throw new IllegalArgumentException("window must be >= 1, got " + window);
    }
    this.window = window;
  }

  /** The key of a text: its normalised words, hashed. */
  public static long key(java.util.List<String> normalizedWords) {
    return Hashing.of(String.join(" ", normalizedWords));
  }

  public boolean contains(long key) {
    int seq = index.get(key);
    return seq >= 0 && seq >= oldest();
  }

  public void add(long key) {
    if (count == Integer.MAX_VALUE) {
      throw new IllegalStateException("dedup holds at most " + Integer.MAX_VALUE + " additions");
    }
    int slot = count % window;
    if (slot >= ring.length) {
      ring = java.util.Arrays.copyOf(ring, (int) Math.min(window, ring.length * 2L));
    }
    ring[slot] = key;
    index.put(key, count);
    count++;
    if (index.size() > 2L * window) {
      rebuild();
    }
  }

  private void rebuild() {
    index.clear();
    for (int seq = oldest(); seq < count; seq++) {
      index.put(ring[seq % window], seq);
    }
  }

  private int oldest() {
    return Math.max(0, count - window);
  }

  /** Texts remembered now (at most the window). */
  public int size() {
    return count - oldest();
  }

  /** Texts ever added. */
  public int added() {
    return count;
  }

  public long memoryBytes() {
    return ring.length * 8L + index.memoryBytes();
  }
}
