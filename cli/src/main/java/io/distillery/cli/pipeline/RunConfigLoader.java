package io.distillery.cli.pipeline;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.exc.ValueInstantiationException;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.distillery.core.BadInputException;
import io.distillery.core.ConfigException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * Reads a {@link RunConfig} from YAML ({@code .yaml}/{@code .yml}) or JSON ({@code .json}; any
 * other name is tried as JSON, then YAML), with one-line errors that name the file, the key path
 * ({@code synth.samples}) and what was expected: a syntax error says which parser read the file
 * and where it stopped, an unknown key names the nearest known one.
 */
public final class RunConfigLoader {
  private RunConfigLoader() {}

  /** A parser the config was read with, and why that one. */
  private record Parser(String name, ObjectMapper mapper, String why) {}

  public static RunConfig load(Path file) {
    if (!Files.isRegularFile(file)) {
      throw BadInputException.of(file, "no such file (expected a run config, YAML or JSON)");
    }
    String name = file.getFileName().toString().toLowerCase(Locale.ROOT);
    if (name.endsWith(".yaml") || name.endsWith(".yml")) {
      return read(file, new Parser("YAML", YAML, "chosen by the file name"));
    }
    if (name.endsWith(".json")) {
      return read(file, new Parser("JSON", JSON, "chosen by the file name"));
    }
    try {
      return read(file, new Parser("JSON", JSON, "tried first: the name is neither .json nor .yaml"));
    } catch (SyntaxError jsonError) {
      try {
        return read(file, new Parser("YAML", YAML, "tried after JSON failed"));
      } catch (SyntaxError yamlError) {
        throw BadInputException.of(file, "neither JSON nor YAML: " + jsonError.why + "; "
            + yamlError.why, yamlError.getCause());
      }
    }
  }

  private static final ObjectMapper YAML = mapper(new ObjectMapper(new YAMLFactory()));
  private static final ObjectMapper JSON = mapper(new ObjectMapper());

  private static ObjectMapper mapper(ObjectMapper m) {
    return m.setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
        .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
        .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
        .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
  }

  /** A file the parser could not read as its syntax (the caller may try another parser). */
  private static final class SyntaxError extends BadInputException {
    final String why;

    SyntaxError(Path file, String why, Throwable cause) {
      super(file + ": " + why, cause);
      this.why = why;
    }
  }

  private static RunConfig read(Path file, Parser parser) {
    RunConfig config;
    try {
      config = parser.mapper().readValue(file.toFile(), RunConfig.class);
    } catch (ValueInstantiationException e) {
      Throwable cause = e.getCause();
      String why = cause instanceof ConfigException ? cause.getMessage() : e.getOriginalMessage();
      throw BadInputException.of(file, why, e);
    } catch (UnrecognizedPropertyException e) {
      Collection<Object> known = e.getKnownPropertyIds();
      String nearest = nearest(e.getPropertyName(), known);
      throw BadInputException.of(file, "unknown key '" + e.getPropertyName() + "' at "
          + keyPath(e) + (nearest == null ? "" : "; did you mean '" + nearest + "'?")
          + " known keys: " + known, e);
    } catch (InvalidFormatException e) {
      throw BadInputException.of(file, keyPath(e) + ": expected " + expected(e.getTargetType())
          + ", found " + quoted(e.getValue()) + at(e.getLocation()), e);
    } catch (MismatchedInputException e) {
      if (String.valueOf(e.getOriginalMessage()).startsWith("Trailing token")) {
        throw BadInputException.of(file, "more than one " + parser.name() + " document or value: "
            + "a run config is one mapping; found more" + at(e.getLocation()), e);
      }
      if (e.getPath().isEmpty()) {
        throw BadInputException.of(file, "expected a mapping of keys (task, teacher, source, out, "
            + "...), found " + found(e.getOriginalMessage()) + " (read as " + parser.name() + ")", e);
      }
      throw BadInputException.of(file, keyPath(e) + ": expected " + expected(e.getTargetType())
          + ", found " + found(e.getOriginalMessage()) + at(e.getLocation()), e);
    } catch (JsonParseException e) {
      throw new SyntaxError(file, "not valid " + parser.name() + " (the " + parser.name()
          + " parser, " + parser.why() + ", stopped" + at(e.getLocation()) + ": "
          + parserMessage(e.getOriginalMessage()) + ")", e);
    } catch (JsonMappingException e) {
      if (e.getCause() instanceof JsonParseException p) { // a syntax error met while binding
        throw new SyntaxError(file, "not valid " + parser.name() + " (the " + parser.name()
            + " parser, " + parser.why() + ", stopped" + at(p.getLocation()) + ": "
            + parserMessage(p.getOriginalMessage()) + ")", e);
      }
      throw BadInputException.of(file, keyPath(e) + ": " + oneLine(e.getOriginalMessage()), e);
    } catch (JacksonException e) {
      throw new SyntaxError(file, "not valid " + parser.name() + " (" + parser.why() + "; "
          + oneLine(e.getOriginalMessage()) + at(e.getLocation()) + ")", e);
    } catch (IOException e) {
      throw BadInputException.of(file, "cannot read (" + oneLine(e.getMessage()) + ")", e);
    }
    if (config == null) {
      throw BadInputException.of(file, "empty run config; expected the keys task, teacher, source, out");
    }
    return config;
  }

  /** {@code synth.samples}, {@code task.labels[1]}: where in the config the problem is. */
  static String keyPath(JsonMappingException e) {
    String path = e.getPath().stream()
        .map(r -> r.getFieldName() != null ? "." + r.getFieldName() : "[" + r.getIndex() + "]")
        .collect(Collectors.joining());
    return path.startsWith(".") ? path.substring(1) : path.isEmpty() ? "(top level)" : path;
  }

  private static String expected(Class<?> type) {
    if (type == null) {
      return "another value";
    }
    if (type.isEnum()) {
      return "one of " + List.of(type.getEnumConstants());
    }
    if (type == Long.class || type == Integer.class || type == long.class || type == int.class) {
      return "an integer";
    }
    if (type == Double.class || type == double.class || type == Float.class) {
      return "a number";
    }
    if (type == Boolean.class || type == boolean.class) {
      return "true or false";
    }
    if (type == String.class || Path.class.isAssignableFrom(type)) {
      return "a string";
    }
    if (Collection.class.isAssignableFrom(type)) {
      return "a list";
    }
    return "a mapping (" + type.getSimpleName() + ")";
  }

  /** "Array value" out of Jackson's "Cannot deserialize ... from Array value (token ...)". */
  private static String found(String message) {
    if (message == null) {
      return "another value";
    }
    int from = message.indexOf(" from ");
    if (from < 0) {
      return oneLine(message);
    }
    String rest = message.substring(from + 6);
    int cut = rest.indexOf(" (");
    int colon = rest.indexOf(':');
    int end = cut < 0 ? colon : colon < 0 ? cut : Math.min(cut, colon);
    return (end < 0 ? rest : rest.substring(0, end)).strip();
  }

  private static String quoted(Object value) {
    return value instanceof String s ? "\"" + s + "\"" : String.valueOf(value);
  }

  private static String at(JsonLocation at) {
    return at == null || at.getLineNr() < 0 ? ""
        : " at line " + at.getLineNr() + ", column " + at.getColumnNr();
  }

  /** SnakeYAML's message without its source excerpts ("in 'reader', line 1, column 5: ... ^"). */
  private static String parserMessage(String text) {
    if (text == null) {
      return "";
    }
    return oneLine(text.replaceAll("\\s*in 'reader', line \\d+, column \\d+:\\n[^\\n]*\\n\\s*\\^", ""));
  }

  private static String oneLine(String text) {
    return text == null ? "" : text.strip().replaceAll("\\s+", " ");
  }

  /** The known key closest to {@code key} by edit distance, if it is close enough to be a typo. */
  static String nearest(String key, Collection<Object> known) {
    String best = null;
    int bestDistance = Integer.MAX_VALUE;
    for (Object k : known) {
      int d = editDistance(key, k.toString());
      if (d < bestDistance) {
        bestDistance = d;
        best = k.toString();
      }
    }
    return best != null && bestDistance <= Math.max(2, key.length() / 3) ? best : null;
  }

  private static int editDistance(String a, String b) {
    int[] prev = new int[b.length() + 1];
    int[] cur = new int[b.length() + 1];
    for (int j = 0; j <= b.length(); j++) {
      prev[j] = j;
    }
    for (int i = 1; i <= a.length(); i++) {
      cur[0] = i;
      for (int j = 1; j <= b.length(); j++) {
        int sub = prev[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1);
        cur[j] = Math.min(sub, Math.min(prev[j] + 1, cur[j - 1] + 1));
      }
      int[] t = prev;
      prev = cur;
      cur = t;
    }
    return prev[b.length()];
  }
}
