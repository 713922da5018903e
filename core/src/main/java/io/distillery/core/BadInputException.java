package io.distillery.core;

import java.nio.file.Path;

/**
 * The user gave something Distillery cannot use: the message names the file, what was expected
 * and what was found, on one line. Exit code 2.
 */
public class BadInputException extends DistilleryException {
  public BadInputException(String message) {
    super(message, null);
  }

  public BadInputException(String message, Throwable cause) {
    super(message, cause);
  }

  /** {@code file: problem}, the one-line form every input error takes. */
  public static BadInputException of(Path file, String problem) {
    return new BadInputException(file + ": " + problem);
  }

  public static BadInputException of(Path file, String problem, Throwable cause) {
    return new BadInputException(file + ": " + problem, cause);
  }

  @Override
  public int exitCode() {
    return ExitCode.BAD_INPUT;
  }
}
