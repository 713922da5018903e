package io.distillery.synth.source;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Optional;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class ContinuationCutterTest {
  private final ContinuationCutter cutter = new ContinuationCutter(10, 60, List.of());

  @Test
  void endsAtTheFirstSentenceEndPastTheMinimum() {
    ContinuationCutter.Cut cut = cutter.cut(" Ok. The plot was thin. The cast was great.");
    assertEquals("Ok. The plot was thin.", cut.text());
    assertEquals(" Ok. The plot was thin.".length(), cut.end());
  }

  @Test
  void keepsClosingQuotesAndSkipsInnerDots() {
    assertEquals("He said \"it was 3.5 stars.\"", cutter.cut("He said \"it was 3.5 stars.\" Then").text());
  }

  @Test
  void lineBreaksEndTheTextOnlyPastTheMinimum() {
    ContinuationCutter c = new ContinuationCutter(15, 100, List.of());
    assertEquals("Subject: hi Dear friend, you won",
        c.cut("\nSubject: hi\nDear friend, you won\nmore").text());
    assertEquals("Subject: hi", cutter.cut("\nSubject: hi\nDear friend").text());
  }

  @Test
  void cutsLongRunsAtAWordBoundary() {
    String raw = "word ".repeat(30);
    ContinuationCutter.Cut cut = cutter.cut(raw);
    assertEquals("word ".repeat(12).strip(), cut.text());
    assertEquals(59, cut.end());
  }

  @Test
  void stopSequencesEndTheText() {
    ContinuationCutter c = new ContinuationCutter(5, 100, List.of("###"));
    assertEquals("Great value for money", c.cut("Great value for money### and more.").text());
  }

  @Test
  void keepsAnUnfinishedShortText() {
    assertEquals("the food was", cutter.cut("the food was").text());
  }

  /** Continuations as a generator writes them, cut by every setting below. */
  static final List<String> SAMPLES = List.of(
      " Ok. The plot was thin. The cast was great.",
      " The food was cold and the waiter never came back to our table. We left hungry.",
      "He said \"it was 3.5 stars.\" Then he left.",
      " (It was fine.) Nothing more to say!? Really.",
      "\nSubject: hi\nDear friend, you won\nmore",
      "word ".repeat(30),
      "Great value for money### and more. Yes.",
      " a\u00e9\u00e8 \u201cquoted.\u201d\u2019 after\n",
      "   ",
      "No end here at all",
      " Stop right##there. Or here.");

  static final List<ContinuationCutter> CUTTERS = List.of(
      new ContinuationCutter(10, 60, List.of()),
      new ContinuationCutter(0, 20, List.of()),
      new ContinuationCutter(24, 400, List.of()),
      new ContinuationCutter(5, 100, List.of("###", "##t", "Or")));

  /**
   * The incremental check never decides early: whenever a prefix's cut is final, it is the cut of
   * the whole text (the continuation generated to the end); so stopping generation there keeps
   * exactly the post-hoc text.
   */
  static void assertIncrementalEqualsPostHoc(ContinuationCutter c, String full) {
    ContinuationCutter.Cut post = c.cut(full);
    for (int k = 0; k <= full.length(); k++) {
      Optional<ContinuationCutter.Cut> early = c.finalCut(full.substring(0, k));
      if (early.isPresent()) {
        assertEquals(post, early.get(), "prefix " + k + " of [" + full + "]");
      }
    }
  }

  @Test
  void finalCutOfAPrefixEqualsTheCutOfTheWholeContinuation() {
    for (ContinuationCutter c : CUTTERS) {
      for (String sample : SAMPLES) {
        assertIncrementalEqualsPostHoc(c, sample);
      }
    }
  }

  @Test
  void finalCutIsFoundAsSoonAsTheNextCharacterIsSeen() {
    String text = " Ok. The plot was thin. The cast was great.";
    int afterThin = text.indexOf("thin.") + "thin.".length();
    assertEquals(Optional.empty(), cutter.finalCut(text.substring(0, afterThin)));
    assertEquals("Ok. The plot was thin.", cutter.finalCut(text.substring(0, afterThin + 1))
        .orElseThrow().text());
    // a closing quote may still follow a sentence end at the end of the text
    assertEquals(Optional.empty(), cutter.finalCut("He said \"it was bad.\""));
    assertEquals("He said \"it was bad.\"", cutter.finalCut("He said \"it was bad.\" ")
        .orElseThrow().text());
    // a character whose bytes are not all generated yet is not read
    assertEquals(Optional.empty(), cutter.finalCut("The plot was thin.\uFFFD"));
    // the character limit and line breaks are final; a stop sequence is final once no longer
    // stop sequence can still start before it
    assertTrue(cutter.finalCut("word ".repeat(13)).isPresent());
    assertEquals("Subject: hi", cutter.finalCut("Subject: hi\n").orElseThrow().text());
    ContinuationCutter stops = new ContinuationCutter(5, 100, List.of("#", "x###"));
    assertEquals(Optional.empty(), stops.finalCut("Great value x#"));
    assertEquals("Great value x", stops.finalCut("Great value x#ab").orElseThrow().text());
    assertEquals("Great value", stops.finalCut("Great value x###").orElseThrow().text());
  }

  @Test
  void finalCutAgreesWithThePostHocCutOnRandomTexts() {
    String alphabet = "ab .!?\"')\n#x\u00e9";
    SplittableRandom rng = new SplittableRandom(17);
    for (int t = 0; t < 3000; t++) {
      StringBuilder b = new StringBuilder();
      int n = rng.nextInt(40);
      for (int i = 0; i < n; i++) {
        b.append(alphabet.charAt(rng.nextInt(alphabet.length())));
      }
      int min = rng.nextInt(8);
      ContinuationCutter c = new ContinuationCutter(min, min + 1 + rng.nextInt(20),
          rng.nextBoolean() ? List.of() : List.of("##", "x#a", "!"));
      assertIncrementalEqualsPostHoc(c, b.toString());
    }
  }
}
