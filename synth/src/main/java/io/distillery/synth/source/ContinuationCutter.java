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
  private final int longestStop;

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
    this.longestStop = this.stop.stream().mapToInt(String::length).max().orElse(0);
  }

  /**
   * The cut of a continuation.
   *
   * @param text the candidate text: single-spaced, stripped
   * @param end the index in the raw continuation where the kept part ends (exclusive)
   */
  public record Cut(String text, int end) {}

  /** The cut of a whole continuation. */
  public Cut cut(String raw) {
    return scan(raw).cut();
  }

  /**
   * The cut of a continuation that is still being generated, once it is final: present when no
   * text appended to {@code sofar} can change the kept text (a sentence end followed by
   * whitespace, a line break, a stop sequence or the character limit has been reached, far enough
   * from the end that a stop sequence still being written cannot start before it); empty while
   * the text may still change. A present result equals {@link #cut} of every continuation that
   * starts with {@code sofar}. Trailing U+FFFD characters (a multi-byte character whose bytes have
   * not all been generated yet) are ignored.
   */
  public java.util.Optional<Cut> finalCut(String sofar) {
    int n = sofar.length();
    while (n > 0 && sofar.charAt(n - 1) == '\uFFFD') {
      n--;
    }
    Scan s = scan(sofar.substring(0, n));
    // a stop sequence not yet complete in the text starts after n - longest: it must not start
    // among the characters the decision read
    return s.read() > 0 && s.read() <= n - longestStop + 1
        ? java.util.Optional.of(s.cut()) : java.util.Optional.empty();
  }

  /**
   * A cut, and the characters that decided where it ends ({@code raw[0, read)}); {@code read}
   * is 0 when the text ran out before anything ended it.
   */
  private record Scan(Cut cut, int read) {}

  private Scan scan(String raw) {
    int limit = raw.length();
    for (String s : stop) {
      int at = raw.indexOf(s);
      if (at >= 0 && at < limit) {
        limit = at;
      }
    }
    int read = limit < raw.length() ? limit : 0; // a stop sequence ends it
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
        read = i + 1;
        break;
      }
      if (c == '\n' || c == '\r') {
        if (i - start >= minChars) {
          end = i;
          read = i + 1;
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
          // at the text's end, more closers or a non-space may still come
          read = j < limit ? j + 1 : j < raw.length() ? limit : 0;
          break;
        }
      }
    }
    String kept = raw.substring(start, end).replaceAll("\\s+", " ").strip();
    return new Scan(new Cut(kept, end), read);
  }
}
