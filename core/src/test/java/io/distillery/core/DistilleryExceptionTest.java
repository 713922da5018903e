package io.distillery.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class DistilleryExceptionTest {
  /** Found by fuzzing: a run config whose unknown key held a line break gave a two-line error. */
  @Test
  void quotedLineBreaksAreEscapedSoEveryErrorIsOneLine() {
    BadInputException e = BadInputException.of(Path.of("run.json"), "unknown key 'sam(,\n\t)\r\u2028x'");
    assertEquals("run.json: unknown key 'sam(,\\n\t)\\r\\u2028x'", e.getMessage());
    assertEquals(1, e.getMessage().lines().count());
    assertEquals("plain message", new ConfigException("plain message").getMessage());
    assertNull(new BadInputException(null).getMessage());
  }
}
