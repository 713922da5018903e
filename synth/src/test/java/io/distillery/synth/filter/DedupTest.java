package io.distillery.synth.filter;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.distillery.synth.testing.Sentences;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class DedupTest {
  private static final String LONG =
      "The waiter brought our soup late but apologised twice and the bread was warm and fresh";

  @Test
  void exactDuplicatesIgnoreCasePunctuationAndSpacing() {
    Filters f = new Filters(FilterConfig.defaults().withDedup(true, false, 0.8, 100));
    Filters.Screened first = f.screen("Great food, friendly staff!");
    assertTrue(first.passed());
    assertEquals(Optional.empty(), f.admit(first));
    assertEquals(Rejection.EXACT_DUPLICATE, f.screen("great   FOOD friendly staff.").rejection());
    assertTrue(f.screen("Great food, unfriendly staff!").passed());
  }

  @Test
  void nearDuplicatesAreCaughtAndDistinctTextsPass() {
    Filters f = new Filters(FilterConfig.defaults().withDedup(true, true, 0.7, 100));
    assertEquals(Optional.empty(), f.admit(f.screen(LONG)));
    // last word changed: 13 of 15 distinct shingles shared, Jaccard 0.87
    assertEquals(Rejection.NEAR_DUPLICATE,
        f.screen(LONG.replace("fresh", "crusty")).rejection());
    assertTrue(f.screen("The hotel room was small and noisy, and the shower never got hot at all").passed());
  }

  @Test
  void jaccardEstimateTracksTheTruth() {
    MinHasher h = new MinHasher(3);
    List<String> a = Words.normalized(LONG);
    List<String> b = Words.normalized(LONG.replace("fresh", "crusty"));
    double est = MinHasher.similarity(h.signature(a), h.signature(b));
    assertEquals(13.0 / 15.0, est, 0.15);
    List<String> c = Words.normalized("A completely different sentence about mountains and rivers in spring");
    assertTrue(MinHasher.similarity(h.signature(a), h.signature(c)) < 0.2);
  }

  @Test
  void admitCatchesDuplicatesWithinOneBatch() {
    Filters f = new Filters(FilterConfig.defaults());
    Filters.Screened one = f.screen(LONG);
    Filters.Screened two = f.screen(LONG + ".");
    assertTrue(one.passed());
    assertTrue(two.passed(), "screen only checks texts already accepted");
    assertEquals(Optional.empty(), f.admit(one));
    assertEquals(Optional.of(Rejection.EXACT_DUPLICATE), f.admit(two));
  }

  @Test
  void stateIsBoundedByTheWindowAndForgetsOldTexts() {
    int window = 500;
    Filters f = new Filters(FilterConfig.defaults().withDedup(true, true, 0.8, window));
    List<String> texts = Sentences.distinct(6000, 5);
    long peak = 0;
    for (int i = 0; i < texts.size(); i++) {
      f.restore(texts.get(i));
      if (i == 2 * window) {
        peak = f.dedupMemoryBytes();
      }
      assertTrue(f.dedupSize() <= window);
    }
    // 12x more texts than at the checkpoint, memory no larger than there
    assertTrue(f.dedupMemoryBytes() <= peak, f.dedupMemoryBytes() + " > " + peak);
    assertTrue(f.dedupMemoryBytes() < 1_000L * window, "about 1 KB per remembered text at most, got "
        + f.dedupMemoryBytes());
    // the newest texts are remembered, the oldest forgotten
    assertEquals(Rejection.EXACT_DUPLICATE, f.screen(texts.get(texts.size() - 1)).rejection());
    assertEquals(Rejection.EXACT_DUPLICATE, f.screen(texts.get(texts.size() - window)).rejection());
    assertTrue(f.screen(texts.get(0)).passed());
  }

  @Test
  void nearIndexCapacityStaysBounded() {
    int window = 200;
    NearDedup near = new NearDedup(window, 0.8);
    MinHasher h = new MinHasher(3);
    List<String> texts = Sentences.distinct(5000, 9);
    for (String t : texts) {
      near.add(h.signature(Words.normalized(t)));
    }
    assertEquals(window, near.size());
    // live band entries <= window * BANDS; rebuilt at 1.25x that, load <= 3/4, power of two
    assertTrue(near.indexCapacity() <= 4 * window * NearDedup.BANDS, "capacity " + near.indexCapacity());
    assertTrue(near.contains(h.signature(Words.normalized(texts.get(texts.size() - 1)))));
    assertFalse(near.contains(h.signature(Words.normalized(texts.get(0)))));
  }
}
