package io.distillery.synth.filter;

import java.util.List;
import java.util.Optional;

/**
 * All checks of a {@link FilterConfig}, in order: length, repetition, exact duplicate, near
 * duplicate. Two steps, so duplicates within one batch are caught without letting a rejected text
 * into the dedup state: {@link #screen} checks a candidate against the texts accepted so far (before
 * the teacher sees it); {@link #admit} checks again and remembers the text, once it is accepted.
 * The dedup state therefore depends only on the accepted texts, in order, and {@link #admit}ing
 * the committed corpus restores it exactly.
 */
public final class Filters {
  private final FilterConfig config;
  private final LengthFilter length;
  private final RepetitionFilter repetition;
  private final ExactDedup exact;
  private final NearDedup near;
  private final MinHasher hasher;

  public Filters(FilterConfig config) {
    this.config = config;
    this.length = new LengthFilter(config);
    this.repetition = new RepetitionFilter(config);
    this.exact = config.exactDedup() ? new ExactDedup(config.dedupWindow()) : null;
    this.near = config.nearDedup() ? new NearDedup(config.dedupWindow(), config.jaccardThreshold()) : null;
    this.hasher = new MinHasher(config.shingleSize());
  }

  /**
   * A screened candidate.
   *
   * @param rejection why it failed, or null when it passed
   * @param exactKey its exact-dedup key
   * @param signature its MinHash signature, null when it has no words or near dedup is off
   */
  public record Screened(Rejection rejection, long exactKey, int[] signature) {
    public boolean passed() {
      return rejection == null;
    }
  }

  public FilterConfig config() {
    return config;
  }

  /** Runs every check against the accepted texts so far; remembers nothing. */
  public Screened screen(String text) {
    Optional<Rejection> r = length.check(text);
    List<String> words = Words.normalized(text);
    long key = ExactDedup.key(words);
    int[] sig = near == null ? null : hasher.signature(words);
    if (r.isEmpty()) {
      r = repetition.check(words);
    }
    if (r.isEmpty()) {
      r = duplicate(key, sig);
    }
    return new Screened(r.orElse(null), key, sig);
  }

  /**
   * Checks a screened candidate against the texts accepted since it was screened, and remembers it
   * when it is new.
   *
   * @return the duplicate reason, or empty when it was remembered
   */
  public Optional<Rejection> admit(Screened screened) {
    Optional<Rejection> dup = duplicate(screened.exactKey(), screened.signature());
    if (dup.isEmpty()) {
      remember(screened);
    }
    return dup;
  }

  /** Remembers an accepted text unconditionally (restoring state from a committed corpus). */
  public void restore(String text) {
    List<String> words = Words.normalized(text);
    remember(new Screened(null, ExactDedup.key(words), near == null ? null : hasher.signature(words)));
  }

  private void remember(Screened s) {
    if (exact != null) {
      exact.add(s.exactKey());
    }
    if (near != null && s.signature() != null) {
      near.add(s.signature());
    }
  }

  private Optional<Rejection> duplicate(long key, int[] sig) {
    if (exact != null && exact.contains(key)) {
      return Optional.of(Rejection.EXACT_DUPLICATE);
    }
    if (near != null && sig != null && near.contains(sig)) {
      return Optional.of(Rejection.NEAR_DUPLICATE);
    }
    return Optional.empty();
  }

  /** Bytes held by the dedup state (signatures, hashes and their indexes). */
  public long dedupMemoryBytes() {
    return (exact == null ? 0 : exact.memoryBytes()) + (near == null ? 0 : near.memoryBytes());
  }

  /** Texts the dedup state remembers now (at most the window). */
  public int dedupSize() {
    return exact != null ? exact.size() : near != null ? near.size() : 0;
  }
}
