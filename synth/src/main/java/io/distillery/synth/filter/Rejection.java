package io.distillery.synth.filter;

import java.util.Locale;

/** Why a candidate did not enter the corpus; one reason per check, reported in the manifest. */
public enum Rejection {
  /** Fewer characters or words than the minimum. */
  TOO_SHORT,
  /** More characters or words than the maximum. */
  TOO_LONG,
  /** Too few distinct word bigrams, or one word repeated too many times in a row. */
  REPETITIVE,
  /** Same normalised text as an accepted sample. */
  EXACT_DUPLICATE,
  /** Estimated Jaccard similarity of word shingles with an accepted sample at or above the threshold. */
  NEAR_DUPLICATE,
  /** The teacher's label already has its share of the corpus (rebalancing on). */
  LABEL_SURPLUS;

  /** The manifest key, e.g. {@code exact_duplicate}. */
  public String key() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** The reason with manifest key {@code key}, or null. */
  public static Rejection ofKey(String key) {
    for (Rejection r : values()) {
      if (r.key().equals(key)) {
        return r;
      }
    }
    return null;
  }
}
