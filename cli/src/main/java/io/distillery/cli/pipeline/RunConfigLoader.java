package io.distillery.cli.pipeline;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.exc.ValueInstantiationException;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.distillery.core.BadInputException;
import io.distillery.core.ConfigException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Reads a {@link RunConfig} from YAML ({@code .yaml}/{@code .yml}) or JSON, with one-line errors. */
public final class RunConfigLoader {
  private RunConfigLoader() {}

  public static RunConfig load(Path file) {
    if (!Files.isRegularFile(file)) {
      throw BadInputException.of(file, "no such file (expected a run config, YAML or JSON)");
    }
    String name = file.getFileName().toString().toLowerCase(java.util.Locale.ROOT);
    ObjectMapper mapper = name.endsWith(".yaml") || name.endsWith(".yml")
        ? new ObjectMapper(new YAMLFactory()) : new ObjectMapper();
    mapper.setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
        .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
        .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES);
    try {
      return mapper.readValue(file.toFile(), RunConfig.class);
    } catch (ValueInstantiationException e) {
      Throwable cause = e.getCause();
      String why = cause instanceof ConfigException ? cause.getMessage() : e.getOriginalMessage();
      throw BadInputException.of(file, why, e);
    } catch (UnrecognizedPropertyException e) {
      throw BadInputException.of(file, "unknown key '" + e.getPropertyName() + "' at "
          + e.getPathReference().replace("io.distillery.cli.pipeline.", "") + "; known keys: "
          + e.getKnownPropertyIds(), e);
    } catch (IOException e) {
      String msg = e instanceof com.fasterxml.jackson.core.JacksonException je
          ? je.getOriginalMessage() : e.getMessage();
      throw BadInputException.of(file, "not a valid run config (" + msg.replace('\n', ' ') + ")", e);
    }
  }
}
