package io.distillery.tests.fuzz;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** One scratch folder per fuzzing JVM: each input is written to a file there and read back. */
final class FuzzFiles {
  private static Path dir;

  private FuzzFiles() {}

  static synchronized Path dir() {
    if (dir == null) {
      try {
        dir = Files.createTempDirectory("distillery-fuzz");
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      dir.toFile().deleteOnExit();
    }
    return dir;
  }

  /** Writes {@code bytes} to {@code name} in the scratch folder. */
  static Path write(String name, byte[] bytes) {
    try {
      Path f = dir().resolve(name);
      Files.createDirectories(f.getParent());
      Files.write(f, bytes);
      return f;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
