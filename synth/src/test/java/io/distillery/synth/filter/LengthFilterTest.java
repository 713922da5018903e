package io.distillery.synth.filter;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.distillery.core.ConfigException;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class LengthFilterTest {
  private final LengthFilter filter =
      new LengthFilter(FilterConfig.defaults().withLength(10, 40, 3, 6));

  @Test
  void rejectsTooFewCharsOrWords() {
    assertEquals(Optional.of(Rejection.TOO_SHORT), filter.check("Hi there"));
    assertEquals(Optional.of(Rejection.TOO_SHORT), filter.check("Extraordinarily unbelievable"));
  }

  @Test
  void rejectsTooManyCharsOrWords() {
    assertEquals(Optional.of(Rejection.TOO_LONG), filter.check("one two three four five six seven"));
    assertEquals(Optional.of(Rejection.TOO_LONG),
        filter.check("Supercalifragilistic expialidocious antidisestablishmentarianism"));
  }

  @Test
  void acceptsWithinBoundsCountingCodePoints() {
    assertEquals(Optional.empty(), filter.check("A fine day at sea."));
    // 4 emoji are 8 UTF-16 chars but 4 code points: still within 40
    assertEquals(Optional.empty(), filter.check("Great food \uD83D\uDE00\uD83D\uDE00\uD83D\uDE00\uD83D\uDE00 here"));
  }

  @Test
  void configRejectsInvertedBounds() {
    assertThrows(ConfigException.class, () -> FilterConfig.defaults().withLength(50, 10, 1, 5));
    assertThrows(ConfigException.class, () -> FilterConfig.defaults().withLength(1, 10, 6, 5));
  }
}
