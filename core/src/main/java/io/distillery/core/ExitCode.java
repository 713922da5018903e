package io.distillery.core;

/** Process exit statuses of the {@code distillery} command. */
public final class ExitCode {
  /** The job finished. */
  public static final int OK = 0;
  /** The job failed while running (a bug, a native error, an export that could not be written). */
  public static final int FAILED = 1;
  /** Bad usage or bad input: a missing file, a malformed file, a model with the wrong signature. */
  public static final int BAD_INPUT = 2;

  private ExitCode() {}
}
