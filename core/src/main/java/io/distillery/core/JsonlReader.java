package io.distillery.core;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;

/**
 * Streams a JSON Lines file one object at a time, so memory does not grow with the file. Blank
 * lines are skipped; a line that is not a JSON object is an error naming the file and line
 * number; a file with no records is an error too.
 */
public final class JsonlReader implements Iterator<JsonlReader.Line>, AutoCloseable {
  /** One record and the 1-based line it came from. */
  public record Line(int number, ObjectNode json) {}

  private final Path file;
  private final BufferedReader reader;
  private int lineNumber;
  private int records;
  private Line next;

  private JsonlReader(Path file) throws IOException {
    this.file = file;
    this.reader = Files.newBufferedReader(file, StandardCharsets.UTF_8);
  }

  public static JsonlReader open(Path file) {
    if (!Files.isRegularFile(file)) {
      throw BadInputException.of(file, "no such file (expected a JSON Lines file)");
    }
    try {
      return new JsonlReader(file);
    } catch (IOException e) {
      throw BadInputException.of(file, "cannot open (" + e.getMessage() + ")", e);
    }
  }

  /** Reads every record; for inputs that fit in memory (test splits, label files). */
  public static List<Line> readAll(Path file) {
    List<Line> out = new ArrayList<>();
    try (JsonlReader r = open(file)) {
      r.forEachRemaining(out::add);
    }
    return out;
  }

  public Path file() {
    return file;
  }

  @Override
  public boolean hasNext() {
    if (next != null) {
      return true;
    }
    try {
      String text;
      while ((text = reader.readLine()) != null) {
        lineNumber++;
        if (text.isBlank()) {
          continue;
        }
        next = new Line(lineNumber, parse(text));
        records++;
        return true;
      }
    } catch (java.nio.charset.CharacterCodingException e) {
      throw BadInputException.of(file, "line " + (lineNumber + 1) + ": not valid UTF-8 text ("
          + e + "); re-encode the file as UTF-8", e);
    } catch (IOException e) {
      throw new UncheckedIOException(file + ": read failed at line " + lineNumber, e);
    }
    if (records == 0) {
      throw BadInputException.of(file, "empty input (expected at least one JSON object line)");
    }
    return false;
  }

  @Override
  public Line next() {
    if (!hasNext()) {
      throw new NoSuchElementException();
    }
    Line line = next;
    next = null;
    return line;
  }

  private ObjectNode parse(String text) {
    JsonNode node;
    try {
      node = Json.LINE_MAPPER.readTree(text);
    } catch (JsonProcessingException e) {
      throw BadInputException.of(
          file, "line " + lineNumber + ": not valid JSON ("
              + String.valueOf(e.getOriginalMessage()).strip().replaceAll("\\s+", " ") + ")", e);
    }
    if (!(node instanceof ObjectNode obj)) {
      throw BadInputException.of(
          file, "line " + lineNumber + ": expected a JSON object, found " + node.getNodeType());
    }
    return obj;
  }

  /** The text field of a record, with an error naming the line when it is missing. */
  public String requireText(Line line, String field) {
    JsonNode v = line.json().get(field);
    if (v == null || !v.isTextual()) {
      throw BadInputException.of(
          file,
          "line " + line.number() + ": expected a string field '" + field + "', found "
              + (v == null ? "none" : v.getNodeType()));
    }
    return v.asText();
  }

  @Override
  public void close() {
    try {
      reader.close();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
