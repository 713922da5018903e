package io.distillery.core;

/** A tensor does not have the shape its consumer requires; the message names the tensor. */
public class ShapeMismatchException extends BadInputException {
  public ShapeMismatchException(String message) {
    super(message);
  }
}
