package io.distillery.runtime.model;

import com.fasterxml.jackson.databind.JsonNode;
import io.distillery.core.BadInputException;
import io.distillery.core.ConfigException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/**
 * Class names by logit index, as in a Hugging Face {@code config.json} {@code id2label}.
 *
 * @param names {@code names.get(i)} is the label of logit {@code i}
 */
public record LabelMap(List<String> names) {
  public LabelMap {
    names = List.copyOf(names);
    if (names.isEmpty()) {
      throw new ConfigException("a label map needs at least one label");
    }
    Set<String> seen = new HashSet<>();
    for (String name : names) {
      if (name.isBlank() || !seen.add(name)) {
        throw new ConfigException("labels must be distinct and non-blank, got " + names);
      }
    }
  }

  /** Hugging Face's defaults: {@code LABEL_0 .. LABEL_{n-1}}. */
  public static LabelMap defaults(int numLabels) {
    if (numLabels < 1) {
      throw new ConfigException("numLabels must be >= 1, got " + numLabels);
    }
    List<String> names = new ArrayList<>();
    for (int i = 0; i < numLabels; i++) {
      names.add("LABEL_" + i);
    }
    return new LabelMap(names);
  }

  /**
   * Reads {@code id2label} from a {@code config.json}; empty when the file has no such key.
   *
   * @throws BadInputException naming the file when it is not JSON or the ids are not 0..L-1
   */
  public static Optional<LabelMap> read(Path configJson) {
    JsonNode root = JsonFile.readObject(configJson, "a model config.json");
    JsonNode id2label = root.get("id2label");
    if (id2label == null || id2label.isNull()) {
      return Optional.empty();
    }
    if (!id2label.isObject() || id2label.isEmpty()) {
      throw BadInputException.of(
          configJson,
          "id2label must be a non-empty object like {\"0\": \"NEGATIVE\"}, found "
              + id2label.getNodeType());
    }
    TreeMap<Integer, String> byId = new TreeMap<>();
    for (Iterator<Map.Entry<String, JsonNode>> it = id2label.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> entry = it.next();
      int id;
      try {
        id = Integer.parseInt(entry.getKey().strip());
      } catch (NumberFormatException e) {
        throw BadInputException.of(
            configJson, "id2label key '" + entry.getKey() + "' is not an integer id");
      }
      if (!entry.getValue().isTextual() || entry.getValue().asText().isBlank()) {
        throw BadInputException.of(
            configJson, "id2label[" + id + "] must be a non-blank string, found " + entry.getValue());
      }
      byId.put(id, entry.getValue().asText());
    }
    int n = byId.size();
    if (byId.firstKey() != 0 || byId.lastKey() != n - 1) {
      throw BadInputException.of(
          configJson, "id2label ids must be 0.." + (n - 1) + ", found " + byId.keySet());
    }
    if (new HashSet<>(byId.values()).size() != n) {
      throw BadInputException.of(
          configJson, "id2label labels must be distinct, found " + byId.values());
    }
    return Optional.of(new LabelMap(new ArrayList<>(byId.values())));
  }

  /**
   * The labels for a classifier with {@code numLabels} logits: {@code config.json}'s id2label when
   * present, else {@link #defaults}.
   *
   * @param numLabels the model's label count, or -1 when its logits dimension is dynamic
   * @throws BadInputException when id2label disagrees with the model's label count, or when the
   *     count is dynamic and there is no id2label to say it
   */
  public static LabelMap forModel(Optional<Path> configJson, int numLabels) {
    Optional<LabelMap> fromConfig = configJson.flatMap(LabelMap::read);
    if (fromConfig.isPresent()) {
      LabelMap labels = fromConfig.get();
      if (numLabels > 0 && labels.size() != numLabels) {
        throw BadInputException.of(
            configJson.orElseThrow(),
            "id2label has " + labels.size() + " labels but the model's logits have " + numLabels);
      }
      return labels;
    }
    if (numLabels < 1) {
      throw new BadInputException(
          "the model's logits have a dynamic label dimension and no config.json id2label names"
              + " the labels; add a config.json with id2label");
    }
    return defaults(numLabels);
  }

  public int size() {
    return names.size();
  }

  public String name(int index) {
    return names.get(index);
  }

  /** The index of {@code name}, or -1 when it is not a label. */
  public int indexOf(String name) {
    return names.indexOf(name);
  }

  /** {@code {"0": name0, "1": name1, ...}}, ready to write as {@code config.json}'s id2label. */
  public Map<String, String> id2label() {
    Map<String, String> map = new LinkedHashMap<>();
    for (int i = 0; i < names.size(); i++) {
      map.put(Integer.toString(i), names.get(i));
    }
    return map;
  }

  /** {@code {name0: 0, name1: 1, ...}}, as in {@code config.json}'s label2id. */
  public Map<String, Integer> label2id() {
    Map<String, Integer> map = new LinkedHashMap<>();
    for (int i = 0; i < names.size(); i++) {
      map.put(names.get(i), i);
    }
    return map;
  }
}
