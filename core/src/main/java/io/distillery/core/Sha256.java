package io.distillery.core;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/** SHA-256 of files and byte arrays, as lowercase hex. */
public final class Sha256 {
  private Sha256() {}

  public static String of(Path file) {
    MessageDigest md = digest();
    try (InputStream in = Files.newInputStream(file)) {
      byte[] buf = new byte[1 << 16];
      for (int n; (n = in.read(buf)) > 0; ) {
        md.update(buf, 0, n);
      }
    } catch (IOException e) {
      throw BadInputException.of(file, "cannot read for checksum (" + e.getMessage() + ")", e);
    }
    return HexFormat.of().formatHex(md.digest());
  }

  public static String of(byte[] bytes) {
    return HexFormat.of().formatHex(digest().digest(bytes));
  }

  /** Throws a {@link BadInputException} naming the file when its checksum differs. */
  public static void verify(Path file, String expectedHex) {
    String found = of(file);
    if (!found.equalsIgnoreCase(expectedHex)) {
      throw BadInputException.of(
          file, "checksum mismatch (expected sha256 " + expectedHex + ", found " + found + ")");
    }
  }

  private static MessageDigest digest() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JVM ships SHA-256", e);
    }
  }
}
