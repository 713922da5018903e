package io.distillery.synth.task;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.distillery.core.ConfigException;
import io.distillery.core.Json;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * What the student must learn: the class names, in the teacher's logit order, and a one-line
 * description of the task (e.g. "Sentiment of movie, product and restaurant review sentences").
 * Prompt strategies build their prompts from it; the corpus manifest records it.
 *
 * @param labels class names, {@code labels.get(i)} is the class of logit {@code i}
 * @param description one line, at most {@value #MAX_DESCRIPTION} characters
 */
public record TaskSpec(List<String> labels, String description) {
  public static final int MAX_DESCRIPTION = 500;

  public TaskSpec {
    if (labels == null || labels.size() < 2) {
      throw new ConfigException(
          "task labels: expected at least 2 label names, found " + (labels == null ? "none" : labels));
    }
    labels = List.copyOf(labels);
    Set<String> seen = new HashSet<>();
    for (String label : labels) {
      if (label.isBlank() || label.strip().length() != label.length()) {
        throw new ConfigException(
            "task labels: each name must be non-blank without surrounding spaces, found '" + label + "'");
      }
      if (!seen.add(label.toLowerCase(Locale.ROOT))) {
        throw new ConfigException("task labels: names must be distinct (ignoring case), found " + labels);
      }
    }
    if (description == null || description.isBlank()) {
      throw new ConfigException(
          "task description: expected one line saying what the texts are, e.g. \"Sentiment of"
              + " movie reviews\", found none");
    }
    description = description.strip();
    if (description.indexOf('\n') >= 0 || description.indexOf('\r') >= 0) {
      throw new ConfigException("task description: expected one line, found a line break");
    }
    if (description.length() > MAX_DESCRIPTION) {
      throw new ConfigException(
          "task description: expected at most " + MAX_DESCRIPTION + " characters, found "
              + description.length());
    }
  }

  public int numLabels() {
    return labels.size();
  }

  /** The index of {@code name} (ignoring case), or -1. */
  public int indexOf(String name) {
    for (int i = 0; i < labels.size(); i++) {
      if (labels.get(i).equalsIgnoreCase(name)) {
        return i;
      }
    }
    return -1;
  }

  /** {@code {"labels": [...], "description": "..."}}, as stored in the corpus manifest. */
  public ObjectNode toJson() {
    ObjectNode node = Json.MAPPER.createObjectNode();
    ArrayNode arr = node.putArray("labels");
    labels.forEach(arr::add);
    node.put("description", description);
    return node;
  }

  /**
   * Reads {@link #toJson()}'s form.
   *
   * @throws ConfigException when a field is missing or invalid
   */
  public static TaskSpec fromJson(JsonNode node) {
    JsonNode labels = node == null ? null : node.get("labels");
    JsonNode description = node == null ? null : node.get("description");
    if (labels == null || !labels.isArray()) {
      throw new ConfigException("task: expected an array field 'labels', found "
          + (labels == null ? "none" : labels.getNodeType()));
    }
    List<String> names = new ArrayList<>();
    for (JsonNode label : labels) {
      if (!label.isTextual()) {
        throw new ConfigException("task labels: expected strings, found " + label);
      }
      names.add(label.asText());
    }
    if (description == null || !description.isTextual()) {
      throw new ConfigException("task: expected a string field 'description', found "
          + (description == null ? "none" : description.getNodeType()));
    }
    return new TaskSpec(names, description.asText());
  }
}
