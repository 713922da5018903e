package io.distillery.core;

/** An invalid setting: a config record's compact constructor rejects it, naming the field. */
public class ConfigException extends BadInputException {
  public ConfigException(String message) {
    super(message);
  }
}
