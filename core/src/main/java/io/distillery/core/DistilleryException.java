package io.distillery.core;

/**
 * Root of Distillery's failures. Each subtype maps to one process exit code, so the CLI has a
 * single exit-code mapper and no command decides codes on its own.
 */
public abstract class DistilleryException extends RuntimeException {
  protected DistilleryException(String message, Throwable cause) {
    super(oneLine(message), cause);
  }

  /**
   * The message with its line breaks written as {@code \n} (or {@code \r}, {@code \u2028}...):
   * a message often quotes what the user gave (a key, a value, a file name), which may hold them
   * (found by fuzzing the run-config loader), and every error the CLI prints is one line.
   */
  static String oneLine(String message) {
    if (message == null) {
      return null;
    }
    StringBuilder b = new StringBuilder(message.length());
    for (int i = 0; i < message.length(); i++) {
      char c = message.charAt(i);
      switch (c) {
        case '\n' -> b.append("\\n");
        case '\r' -> b.append("\\r");
        case '\u000b', '\u000c', '\u0085', '\u2028', '\u2029' ->
            b.append(String.format("\\u%04x", (int) c));
        default -> b.append(c);
      }
    }
    return b.toString();
  }

  /** The process exit status for this failure (see {@link ExitCode}). */
  public abstract int exitCode();
}
