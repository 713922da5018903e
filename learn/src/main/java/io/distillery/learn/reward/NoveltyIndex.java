package io.distillery.learn.reward;

import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * The word bigrams the corpus already holds, for the novelty term: a text's novelty is the share of
 * its distinct bigrams (lower-cased words, with a start marker so one-word texts count) that no
 * accepted text had. Bigrams are kept as 64-bit hashes.
 */
public final class NoveltyIndex {
  private final Set<Long> seen = new HashSet<>();

  /** Novelty of {@code text} in [0, 1] against what was {@link #add added}; 0 for a wordless text. */
  public double novelty(String text) {
    Set<Long> grams = bigrams(text);
    if (grams.isEmpty()) {
      return 0;
    }
    int fresh = 0;
    for (Long g : grams) {
      if (!seen.contains(g)) {
        fresh++;
      }
    }
    return fresh / (double) grams.size();
  }

  /** Adds an accepted text's bigrams. */
  public void add(String text) {
    seen.addAll(bigrams(text));
  }

  public int size() {
    return seen.size();
  }

  static Set<Long> bigrams(String text) {
    Set<Long> out = new LinkedHashSet<>();
    long prev = 0x51ED2701L; // start marker
    for (String w : words(text)) {
      long h = w.hashCode() * 0x9E3779B97F4A7C15L;
      out.add(prev * 31 + h);
      prev = h;
    }
    return out;
  }

  /** Lower-cased runs of letters and digits. */
  public static List<String> words(String text) {
    return List.of(text.toLowerCase(Locale.ROOT).split("[^\\p{L}\\p{N}']+")).stream()
        .filter(w -> !w.isEmpty()).toList();
  }
}
