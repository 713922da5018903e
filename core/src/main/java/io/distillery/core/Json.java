package io.distillery.core;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;

/** The one Jackson mapper Distillery uses (thread-safe once configured). */
public final class Json {
  public static final ObjectMapper MAPPER =
      new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  /** Compact mapper for JSON Lines, where a record must stay on one line. */
  public static final ObjectMapper LINE_MAPPER = new ObjectMapper();

  private Json() {}
}
