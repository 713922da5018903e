package io.distillery.synth.filter;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.distillery.core.ConfigException;
import io.distillery.core.Json;

/**
 * The quality and dedup checks a candidate passes before the teacher sees it.
 *
 * @param minChars fewest characters (code points)
 * @param maxChars most characters
 * @param minWords fewest whitespace-separated words
 * @param maxWords most words
 * @param minDistinctBigramRatio distinct word bigrams / all word bigrams must reach this (checked
 *     when a text has at least {@link RepetitionFilter#MIN_BIGRAMS} bigrams); 0 = off
 * @param maxTokenRun most times one word may repeat in a row; 0 = off
 * @param exactDedup reject texts whose normalised form (lower case, words only) was accepted before
 * @param nearDedup reject texts whose word-shingle MinHash Jaccard estimate with an accepted text
 *     reaches {@code jaccardThreshold}
 * @param shingleSize words per shingle
 * @param jaccardThreshold near-duplicate threshold in (0, 1]
 * @param dedupWindow how many accepted texts the dedup state remembers (the most recent); bounds
 *     its memory at about 1 KB per remembered text (see {@link NearDedup}, {@link ExactDedup})
 */
public record FilterConfig(
    int minChars,
    int maxChars,
    int minWords,
    int maxWords,
    double minDistinctBigramRatio,
    int maxTokenRun,
    boolean exactDedup,
    boolean nearDedup,
    int shingleSize,
    double jaccardThreshold,
    int dedupWindow) {
  public static final int MAX_WINDOW = 10_000_000;

  public FilterConfig {
    if (minChars < 0 || maxChars < 1 || minChars > maxChars) {
      throw new ConfigException(
          "filter chars bounds must satisfy 0 <= minChars <= maxChars, maxChars >= 1; got "
              + minChars + " and " + maxChars);
    }
    if (minWords < 0 || maxWords < 1 || minWords > maxWords) {
      throw new ConfigException(
          "filter words bounds must satisfy 0 <= minWords <= maxWords, maxWords >= 1; got "
              + minWords + " and " + maxWords);
    }
    if (!(minDistinctBigramRatio >= 0 && minDistinctBigramRatio <= 1)) {
      throw new ConfigException(
          "filter minDistinctBigramRatio must be in [0, 1], got " + minDistinctBigramRatio);
    }
    if (maxTokenRun < 0) {
      throw new ConfigException("filter maxTokenRun must be >= 0 (0 = off), got " + maxTokenRun);
    }
    if (shingleSize < 1 || shingleSize > 16) {
      throw new ConfigException("filter shingleSize must be 1..16, got " + shingleSize);
    }
    if (!(jaccardThreshold > 0 && jaccardThreshold <= 1)) {
      throw new ConfigException("filter jaccardThreshold must be in (0, 1], got " + jaccardThreshold);
    }
    if (dedupWindow < 1 || dedupWindow > MAX_WINDOW) {
      throw new ConfigException("filter dedupWindow must be 1.." + MAX_WINDOW + ", got " + dedupWindow);
    }
  }

  /**
   * 16..600 characters, 4..120 words, distinct-bigram ratio >= 0.5, at most 3 repeats in a row,
   * exact and near dedup (3-word shingles, Jaccard >= 0.8) over the last 100,000 accepted texts.
   */
  public static FilterConfig defaults() {
    return new FilterConfig(16, 600, 4, 120, 0.5, 3, true, true, 3, 0.8, 100_000);
  }

  public FilterConfig withLength(int minChars, int maxChars, int minWords, int maxWords) {
    return new FilterConfig(minChars, maxChars, minWords, maxWords, minDistinctBigramRatio,
        maxTokenRun, exactDedup, nearDedup, shingleSize, jaccardThreshold, dedupWindow);
  }

  public FilterConfig withDedup(boolean exact, boolean near, double threshold, int window) {
    return new FilterConfig(minChars, maxChars, minWords, maxWords, minDistinctBigramRatio,
        maxTokenRun, exact, near, shingleSize, threshold, window);
  }

  public ObjectNode toJson() {
    ObjectNode node = Json.MAPPER.createObjectNode();
    node.put("min_chars", minChars);
    node.put("max_chars", maxChars);
    node.put("min_words", minWords);
    node.put("max_words", maxWords);
    node.put("min_distinct_bigram_ratio", minDistinctBigramRatio);
    node.put("max_token_run", maxTokenRun);
    node.put("exact_dedup", exactDedup);
    node.put("near_dedup", nearDedup);
    node.put("shingle_size", shingleSize);
    node.put("jaccard_threshold", jaccardThreshold);
    node.put("dedup_window", dedupWindow);
    return node;
  }
}
