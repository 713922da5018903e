package io.distillery.runtime.model;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import io.distillery.core.BadInputException;
import io.distillery.core.Json;
import java.io.IOException;
import java.nio.file.Path;

/** Reads a user-supplied JSON file (config.json, tokenizer.json) with one-line errors. */
public final class JsonFile {
  private JsonFile() {}

  /**
   * Parses {@code file} as one JSON object.
   *
   * @param what what the file should be, e.g. {@code "a tokenizer.json"}, used in errors
   * @throws BadInputException {@code file: not <what> (<parser message> at line L column C)}
   */
  public static JsonNode readObject(Path file, String what) {
    JsonNode node;
    try {
      node = Json.MAPPER.readTree(file.toFile());
    } catch (JsonProcessingException e) {
      JsonLocation at = e.getLocation();
      String where = at == null ? "" : " at line " + at.getLineNr() + " column " + at.getColumnNr();
      throw BadInputException.of(
          file, "not " + what + " (not JSON: " + firstLine(e.getOriginalMessage()) + where + ")", e);
    } catch (IOException e) {
      throw BadInputException.of(file, "cannot read (" + e + ")", e);
    }
    if (node == null || !node.isObject()) {
      throw BadInputException.of(
          file,
          "not " + what + " (expected a JSON object, found "
              + (node == null ? "nothing" : node.getNodeType()) + ")");
    }
    return node;
  }

  private static String firstLine(String message) {
    if (message == null) {
      return "parse error";
    }
    int newline = message.indexOf('\n');
    return (newline < 0 ? message : message.substring(0, newline)).strip();
  }
}
