package io.distillery.genkd;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.distillery.genkd.eval.RougeL;
import java.util.List;
import org.junit.jupiter.api.Test;

/** ROUGE-L F as rouge_score computes it (stemmed, lower-cased, max over references). */
class RougeLTest {
  @Test
  void tokensAreLowerCasedSplitOnNonAlphanumericsAndStemmedAboveThreeLetters() {
    assertEquals(List.of("the", "cat", "run", "fast", "2026"),
        RougeL.tokens("The CATS, running-fast; 2026!"));
    assertEquals(List.of("was", "ran"), RougeL.tokens("was ran")); // <= 3 letters: not stemmed
  }

  @Test
  void fMeasureOfTheLongestCommonSubsequence() {
    // LCS("the cat was found under the bed", "the cat was under the bed") = 6: P 6/7, R 1
    double f = 2 * (6.0 / 7) / (6.0 / 7 + 1);
    assertEquals(100 * f, RougeL.score("the cat was found under the bed",
        List.of("the cat was under the bed")), 1e-9);
    assertEquals(100, RougeL.score("Cats running", List.of("cat runs")), 1e-9);
    assertEquals(0, RougeL.score("", List.of("anything")), 0);
    // max over references
    assertEquals(100, RougeL.score("a b c", List.of("x y", "a b c")), 1e-9);
    // order matters: LCS of "a b c d" and "d c b a" is 1 -> F = 0.25
    assertEquals(25, RougeL.score("a b c d", List.of("d c b a")), 1e-9);
  }
}
