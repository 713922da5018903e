package io.distillery.core;

/**
 * Root of Distillery's failures. Each subtype maps to one process exit code, so the CLI has a
 * single exit-code mapper and no command decides codes on its own.
 */
public abstract class DistilleryException extends RuntimeException {
  protected DistilleryException(String message, Throwable cause) {
    super(message, cause);
  }

  /** The process exit status for this failure (see {@link ExitCode}). */
  public abstract int exitCode();
}
