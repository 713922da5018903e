package io.distillery.synth.corpus;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.distillery.core.Json;
import io.distillery.synth.filter.RejectionCounts;
import java.util.ArrayList;
import java.util.List;

/**
 * A committed shard, as listed in the manifest.
 *
 * @param index shard index, from 0
 * @param file file name inside the corpus folder ({@code shard-00000.jsonl})
 * @param firstId id of its first record; its records are {@code firstId .. firstId + count - 1}
 * @param count records in the shard
 * @param sha256 SHA-256 of the file, lowercase hex
 * @param candidates candidates drawn from the source while writing it
 * @param labelCounts records per teacher label {@code [L]}
 * @param rejections candidates rejected while writing it, by reason
 */
public record ShardEntry(
    int index,
    String file,
    long firstId,
    int count,
    String sha256,
    long candidates,
    List<Long> labelCounts,
    RejectionCounts rejections) {
  public ShardEntry {
    labelCounts = List.copyOf(labelCounts);
  }

  ObjectNode toJson() {
    ObjectNode node = Json.MAPPER.createObjectNode();
    node.put("index", index);
    node.put("file", file);
    node.put("first_id", firstId);
    node.put("count", count);
    node.put("sha256", sha256);
    node.put("candidates", candidates);
    ArrayNode arr = node.putArray("label_counts");
    labelCounts.forEach(arr::add);
    node.set("rejections", rejections.toJson());
    return node;
  }

  /** @throws IllegalArgumentException naming the field when the entry is malformed */
  static ShardEntry fromJson(JsonNode node) {
    List<Long> counts = new ArrayList<>();
    JsonNode arr = node.get("label_counts");
    if (arr == null || !arr.isArray()) {
      throw new IllegalArgumentException("shard entry: expected an array 'label_counts'");
    }
    arr.forEach(v -> counts.add(v.asLong()));
    return new ShardEntry(
        required(node, "index").asInt(),
        required(node, "file").asText(),
        required(node, "first_id").asLong(),
        required(node, "count").asInt(),
        required(node, "sha256").asText(),
        required(node, "candidates").asLong(),
        counts,
        RejectionCounts.fromJson(node.get("rejections")));
  }

  private static JsonNode required(JsonNode node, String field) {
    JsonNode v = node.get(field);
    if (v == null || v.isNull()) {
      throw new IllegalArgumentException("shard entry: missing field '" + field + "'");
    }
    return v;
  }
}
