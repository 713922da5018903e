package io.distillery.synth.filter;

import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Degenerate generator output: a word repeated many times in a row ("very very very very"), or a
 * loop of a few words (few distinct bigrams: "I like it I like it I like it").
 */
public final class RepetitionFilter {
  /** The bigram ratio is only judged on texts with at least this many word bigrams. */
  public static final int MIN_BIGRAMS = 4;

  private final double minDistinctBigramRatio;
  private final int maxTokenRun;

  public RepetitionFilter(FilterConfig config) {
    this.minDistinctBigramRatio = config.minDistinctBigramRatio();
    this.maxTokenRun = config.maxTokenRun();
  }

  /** {@link Rejection#REPETITIVE} or empty. */
  public Optional<Rejection> check(List<String> words) {
    if (maxTokenRun > 0 && longestRun(words) > maxTokenRun) {
      return Optional.of(Rejection.REPETITIVE);
    }
    if (minDistinctBigramRatio > 0 && words.size() - 1 >= MIN_BIGRAMS
        && distinctBigramRatio(words) < minDistinctBigramRatio) {
      return Optional.of(Rejection.REPETITIVE);
    }
    return Optional.empty();
  }

  /** The longest run of one word repeated back to back (0 for no words). */
  public static int longestRun(List<String> words) {
    int best = words.isEmpty() ? 0 : 1;
    int run = 1;
    for (int i = 1; i < words.size(); i++) {
      run = words.get(i).equals(words.get(i - 1)) ? run + 1 : 1;
      best = Math.max(best, run);
    }
    return best;
  }

  /** Distinct bigrams over all bigrams; 1 when there are none. */
  public static double distinctBigramRatio(List<String> words) {
    int total = words.size() - 1;
    if (total < 1) {
      return 1;
    }
    Set<String> distinct = new HashSet<>();
    for (int i = 1; i < words.size(); i++) {
      distinct.add(words.get(i - 1) + ' ' + words.get(i));
    }
    return distinct.size() / (double) total;
  }
}
