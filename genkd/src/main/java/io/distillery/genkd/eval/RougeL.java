package io.distillery.genkd.eval;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.tartarus.snowball.ext.PorterStemmer;

/**
 * ROUGE-L F-measure as Google's {@code rouge_score} computes it with {@code use_stemmer=True}:
 * lower-case, every run of characters other than {@code [a-z0-9]} becomes a space, words longer
 * than 3 characters are Porter-stemmed (the Snowball Porter stemmer of Lucene), then
 * {@code F = 2PR / (P + R)} with P = LCS / candidate words and R = LCS / reference words; 0 when
 * either side has no words. Reported ×100, maximised over references.
 */
public final class RougeL {
  private RougeL() {}

  /** The words ROUGE compares. */
  public static List<String> tokens(String text) {
    String norm = text.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]+", " ").strip();
    List<String> out = new ArrayList<>();
    if (norm.isEmpty()) {
      return out;
    }
    PorterStemmer stemmer = new PorterStemmer();
    for (String w : norm.split(" ")) {
      if (w.length() > 3) {
        stemmer.setCurrent(w);
        stemmer.stem();
        w = stemmer.getCurrent();
      }
      out.add(w);
    }
    return out;
  }

  /** F-measure in [0, 1] of a candidate against one reference. */
  public static double f(List<String> candidate, List<String> reference) {
    if (candidate.isEmpty() || reference.isEmpty()) {
      return 0;
    }
    int lcs = lcs(candidate, reference);
    if (lcs == 0) {
      return 0;
    }
    double p = (double) lcs / candidate.size();
    double r = (double) lcs / reference.size();
    return 2 * p * r / (p + r);
  }

  /** ×100 F-measure, the maximum over the references (0 for none). */
  public static double score(String candidate, List<String> references) {
    List<String> c = tokens(candidate);
    double best = 0;
    for (String ref : references) {
      best = Math.max(best, f(c, tokens(ref)));
    }
    return 100 * best;
  }

  static int lcs(List<String> a, List<String> b) {
    int[] prev = new int[b.size() + 1];
    int[] cur = new int[b.size() + 1];
    for (int i = 1; i <= a.size(); i++) {
      for (int j = 1; j <= b.size(); j++) {
        cur[j] = a.get(i - 1).equals(b.get(j - 1)) ? prev[j - 1] + 1
            : Math.max(prev[j], cur[j - 1]);
      }
      int[] t = prev;
      prev = cur;
      cur = t;
    }
    return prev[b.size()];
  }
}
