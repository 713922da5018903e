package io.distillery.core;

import java.nio.file.Path;

/** A model file or folder cannot be loaded, or its signature is not the one required. */
public class ModelLoadException extends BadInputException {
  public ModelLoadException(Path file, String problem) {
    super(file + ": " + problem);
  }

  public ModelLoadException(Path file, String problem, Throwable cause) {
    super(file + ": " + problem, cause);
  }
}
