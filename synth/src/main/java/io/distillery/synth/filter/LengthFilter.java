package io.distillery.synth.filter;

import java.util.Optional;

/** Character (code point) and word bounds. */
public final class LengthFilter {
  private final int minChars;
  private final int maxChars;
  private final int minWords;
  private final int maxWords;

  public LengthFilter(FilterConfig config) {
    this.minChars = config.minChars();
    this.maxChars = config.maxChars();
    this.minWords = config.minWords();
    this.maxWords = config.maxWords();
  }

  /** {@link Rejection#TOO_SHORT}, {@link Rejection#TOO_LONG}, or empty when within bounds. */
  public Optional<Rejection> check(String text) {
    int chars = text.codePointCount(0, text.length());
    int words = Words.countTokens(text);
    if (chars < minChars || words < minWords) {
      return Optional.of(Rejection.TOO_SHORT);
    }
    if (chars > maxChars || words > maxWords) {
      return Optional.of(Rejection.TOO_LONG);
    }
    return Optional.empty();
  }
}
