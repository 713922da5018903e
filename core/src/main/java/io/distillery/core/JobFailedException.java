package io.distillery.core;

/** The job broke while running, for a reason other than bad input. Exit code 1. */
public class JobFailedException extends DistilleryException {
  public JobFailedException(String message, Throwable cause) {
    super(message, cause);
  }

  public JobFailedException(String message) {
    super(message, null);
  }

  @Override
  public int exitCode() {
    return ExitCode.FAILED;
  }
}
