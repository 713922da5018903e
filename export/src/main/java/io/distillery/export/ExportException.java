package io.distillery.export;

import io.distillery.core.JobFailedException;

/**
 * An ONNX graph could not be built, written or checked: an operator the target opset lacks, a
 * model the ONNX checker rejects, a composition whose names clash. Exit code 1.
 */
public class ExportException extends JobFailedException {
  public ExportException(String message) {
    super(message);
  }

  public ExportException(String message, Throwable cause) {
    super(message, cause);
  }
}
