package io.distillery.synth.source;

import java.util.List;

/**
 * Cuts a generator's continuation into one candidate text: leading whitespace is skipped, then the
 * text ends at the first sentence end ('.', '!' or '?', with any closing quotes or brackets,
 * followed by whitespace or the end) or line break that comes at or after {@code cutMinChars};
 * earlier line breaks become spaces. With no such end before {@code cutMaxChars} it is cut at the
 * last word boundary before that; a stop sequence ends it wherever it occurs.
 */
public final class ContinuationCutter {
  private static final String CLOSERS = "\"')]}\u201d\u2019";

  private final int minChars;
  private final int maxChars;
  private final List<String> stop;

  public ContinuationCutter(GenerationSettings settings) {
    this(settings.cutMinChars(), settings.cutMaxChars(), settings.stop());
  }

  public ContinuationCutter(int minChars, int maxChars, List<String> stop) {
    if (minChars < 0 || maxChars <= minChars) {
      throw new IllegalArgumentException(
          "need 0 <= minChars < maxChars, got " + minChars + " and " + maxChars);
    }
    this.minChars = minChars;
    this.maxChars = maxChars;
    this.stop = List.copyOf(stop);
  }

  /**
   * The cut of a continuation.
   *
   * @param text the candidate text: single-spaced, stripped
   * @param end the index in the raw continuation where the kept part ends (exclusive)
   */
  public record Cut(String text, int end) {}

  public Cut cut(String raw) {
    int limit = raw.length();
    for (String s : stop) {
      int at = raw.indexOf(s);
      if (at >= 0 && at < limit) {
        limit = at;
      }
    }
    int start = 0;
    while (start < limit && Character.isWhitespace(raw.charAt(start))) {
      start++;
    }
    int end = limit;
    for (int i = start; i < limit; i++) {
      char c = raw.charAt(i);
      if (i - start >= maxChars) {
        int space = i;
        while (space > start && !Character.isWhitespace(raw.charAt(space))) {
          space--;
        }
        end = space > start ? space : i;
        break;
      }
      if (c == '\n' || c == '\r') {
        if (i - start >= minChars) {
          end = i;
          break;
        }
      } else if (c == '.' || c == '!' || c == '?') {
        int j = i + 1;
        while (j < limit && CLOSERS.indexOf(raw.charAt(j)) >= 0) {
          j++;
        }
        if ((j == limit || Character.isWhitespace(raw.charAt(j))) && j - start >= minChars
            && j - start <= maxChars) {
          end = j;
          break;
        }
      }
    }
    String kept = raw.substring(start, end).replaceAll("\\s+", " ").strip();
    return new Cut(kept, end);
  }
}
