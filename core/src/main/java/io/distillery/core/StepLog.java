package io.distillery.core;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;

/**
 * A training loop's JSON Lines log, one line per step. A resumed run first trims it to the steps
 * its checkpoint holds ({@link #keepSteps}), so the lines a killed run wrote past its last
 * checkpoint are written again, once, instead of twice.
 */
public final class StepLog {
  private StepLog() {}

  /** Keeps the first {@code steps} lines of {@code file} (nothing to do when it does not exist). */
  public static void keepSteps(Path file, int steps) {
    if (!Files.isRegularFile(file)) {
      return;
    }
    try {
      List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
      Files.write(file, lines.subList(0, Math.min(steps, lines.size())), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(file + ": cannot trim to the checkpoint's steps", e);
    }
  }

  /** Appends one line. */
  public static void append(Path file, ObjectNode line) {
    try {
      Files.createDirectories(file.getParent());
      Files.writeString(file, line + "\n", StandardCharsets.UTF_8, StandardOpenOption.CREATE,
          StandardOpenOption.APPEND);
    } catch (IOException e) {
      throw new UncheckedIOException(file + ": cannot append", e);
    }
  }
}
