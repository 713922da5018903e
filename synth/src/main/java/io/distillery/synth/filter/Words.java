package io.distillery.synth.filter;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** The word views of a text the filters share. */
public final class Words {
  private Words() {}

  /** Lower-cased runs of letters, digits and inner apostrophes: "Don't STOP!" gives [don't, stop]. */
  public static List<String> normalized(String text) {
    List<String> out = new ArrayList<>();
    String lower = text.toLowerCase(Locale.ROOT);
    int i = 0;
    int n = lower.length();
    while (i < n) {
      while (i < n && !Character.isLetterOrDigit(lower.charAt(i))) {
        i++;
      }
      int start = i;
      while (i < n && (Character.isLetterOrDigit(lower.charAt(i))
          || (lower.charAt(i) == '\'' && i + 1 < n && Character.isLetterOrDigit(lower.charAt(i + 1))))) {
        i++;
      }
      if (i > start) {
        out.add(lower.substring(start, i));
      }
    }
    return out;
  }

  /** Whitespace-separated tokens, punctuation included. */
  public static int countTokens(String text) {
    int count = 0;
    boolean in = false;
    for (int i = 0; i < text.length(); i++) {
      boolean space = Character.isWhitespace(text.charAt(i));
      if (!space && !in) {
        count++;
      }
      in = !space;
    }
    return count;
  }
}
