package io.distillery.core;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.databind.ser.std.ToStringSerializer;
import java.nio.file.Path;

/** The Jackson mappers Distillery uses (thread-safe once configured). */
public final class Json {
  /** Paths as the user wrote them, not as URIs (whose trailing '/' depends on the disk). */
  private static final SimpleModule PATHS =
      new SimpleModule("paths").addSerializer(Path.class, ToStringSerializer.instance);

  public static final ObjectMapper MAPPER =
      new ObjectMapper().registerModule(PATHS).enable(SerializationFeature.INDENT_OUTPUT);

  /** Compact mapper for JSON Lines, where a record must stay on one line. */
  public static final ObjectMapper LINE_MAPPER = new ObjectMapper().registerModule(PATHS);

  private Json() {}
}
