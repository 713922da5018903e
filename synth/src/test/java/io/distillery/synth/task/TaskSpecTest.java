package io.distillery.synth.task;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.distillery.core.ConfigException;
import java.util.List;
import org.junit.jupiter.api.Test;

class TaskSpecTest {
  @Test
  void roundTripsThroughJson() {
    TaskSpec spec = new TaskSpec(List.of("negative", "positive"), "  Sentiment of movie reviews ");
    assertEquals("Sentiment of movie reviews", spec.description());
    assertEquals(spec, TaskSpec.fromJson(spec.toJson()));
    assertEquals(1, spec.indexOf("POSITIVE"));
  }

  @Test
  void rejectsBadSpecsWithClearMessages() {
    ConfigException one = assertThrows(ConfigException.class,
        () -> new TaskSpec(List.of("spam"), "Emails"));
    assertTrue(one.getMessage().contains("at least 2"), one.getMessage());
    assertThrows(ConfigException.class, () -> new TaskSpec(List.of("a", "A"), "x"));
    assertThrows(ConfigException.class, () -> new TaskSpec(List.of("a", " b"), "x"));
    assertThrows(ConfigException.class, () -> new TaskSpec(List.of("a", "b"), " "));
    assertThrows(ConfigException.class, () -> new TaskSpec(List.of("a", "b"), "two\nlines"));
    assertThrows(ConfigException.class, () -> new TaskSpec(List.of("a", "b"), "x".repeat(501)));
  }
}
