package io.distillery.synth.source;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
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
}
