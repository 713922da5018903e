package io.distillery.synth.filter;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class RepetitionFilterTest {
  private final RepetitionFilter filter = new RepetitionFilter(FilterConfig.defaults());

  private Optional<Rejection> check(String text) {
    return filter.check(Words.normalized(text));
  }

  @Test
  void rejectsLongRunsOfOneWord() {
    assertEquals(Optional.of(Rejection.REPETITIVE), check("It was very very very very good."));
    assertEquals(Optional.empty(), check("It was very very very good."));
  }

  @Test
  void rejectsLoopsOfFewWords() {
    assertEquals(Optional.of(Rejection.REPETITIVE), check("I like it I like it I like it I like it"));
    assertEquals(0.2727, RepetitionFilter.distinctBigramRatio(
        Words.normalized("I like it I like it I like it I like it")), 1e-3);
  }

  @Test
  void acceptsOrdinarySentences() {
    assertEquals(Optional.empty(), check("The soup was cold, but the waiter was kind and quick."));
    assertEquals(Optional.empty(), check("Short one."));
  }

  @Test
  void runAndRatioBasics() {
    assertEquals(0, RepetitionFilter.longestRun(List.of()));
    assertEquals(3, RepetitionFilter.longestRun(List.of("a", "b", "b", "b", "c")));
    assertEquals(1.0, RepetitionFilter.distinctBigramRatio(List.of("a")));
  }
}
