package io.distillery.spark.label;

import io.distillery.synth.filter.FilterConfig;
import io.distillery.synth.filter.Filters;
import java.io.Serializable;

/**
 * The stateless part of a {@link FilterConfig} (length and repetition), shipped to executors so
 * they skip the teacher for candidates the driver would reject anyway. Dedup is stateful across
 * the whole corpus, so it stays on the driver.
 */
public record ScreenSettings(int minChars, int maxChars, int minWords, int maxWords,
    double minDistinctBigramRatio, int maxTokenRun, int shingleSize) implements Serializable {

  public static ScreenSettings of(FilterConfig f) {
    return new ScreenSettings(f.minChars(), f.maxChars(), f.minWords(), f.maxWords(),
        f.minDistinctBigramRatio(), f.maxTokenRun(), f.shingleSize());
  }

  /** Filters with these checks and no dedup: {@link Filters#screen} remembers nothing. */
  public Filters filters() {
    FilterConfig d = FilterConfig.defaults();
    return new Filters(new FilterConfig(minChars, maxChars, minWords, maxWords, minDistinctBigramRatio,
        maxTokenRun, false, false, shingleSize, d.jaccardThreshold(), d.dedupWindow()));
  }
}
