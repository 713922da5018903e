package io.distillery.core;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * Writes files so that a reader never sees half of one: write a temp file beside the target,
 * then rename it over the target. An interrupted job leaves the old file (or none), never a torn
 * one.
 */
public final class AtomicFiles {
  private AtomicFiles() {}

  /** A body that writes the whole file to the given stream. */
  @FunctionalInterface
  public interface Body {
    void write(OutputStream out) throws IOException;
  }

  public static void write(Path target, Body body) {
    Path dir = target.toAbsolutePath().getParent();
    Path tmp = null;
    try {
      Files.createDirectories(dir);
      tmp = Files.createTempFile(dir, "." + target.getFileName(), ".tmp");
      try (OutputStream out = Files.newOutputStream(tmp)) {
        body.write(out);
      }
      publish(tmp, target);
    } catch (IOException e) {
      throw new JobFailedException(target + ": cannot write (" + e.getMessage() + ")", e);
    } finally {
      if (tmp != null) {
        try {
          Files.deleteIfExists(tmp);
        } catch (IOException ignored) {
          // the rename already happened or the temp file is gone; nothing else to clean
        }
      }
    }
  }

  public static void writeBytes(Path target, byte[] bytes) {
    write(target, out -> out.write(bytes));
  }

  public static void writeString(Path target, String text) {
    writeBytes(target, text.getBytes(StandardCharsets.UTF_8));
  }

  /**
   * Renames a finished temp file over {@code target}, first giving it ordinary file permissions
   * (temp files are created owner-only).
   */
  public static void publish(Path tmp, Path target) throws IOException {
    try {
      Files.setPosixFilePermissions(tmp, java.nio.file.attribute.PosixFilePermissions.fromString("rw-r--r--"));
    } catch (UnsupportedOperationException e) {
      // not a POSIX file system: keep its defaults
    }
    Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
  }

  /** Reads a whole file, turning a missing file into a {@link BadInputException}. */
  public static byte[] readBytes(Path file) {
    if (!Files.isRegularFile(file)) {
      throw BadInputException.of(file, "no such file");
    }
    try {
      return Files.readAllBytes(file);
    } catch (IOException e) {
      throw new UncheckedIOException(file + ": cannot read", e);
    }
  }
}
