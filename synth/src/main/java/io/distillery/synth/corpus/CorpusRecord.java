package io.distillery.synth.corpus;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.distillery.core.BadInputException;
import io.distillery.core.Json;
import java.nio.file.Path;

/**
 * One corpus sample: one line of a shard.
 *
 * <pre>{"id": 0, "text": "...", "label": 1, "label_name": "positive", "logits": [-0.8, 1.2],
 *  "prompt": "A positive movie review:", "intended_label": 1, "gen_logprob": -31.4}</pre>
 *
 * @param id sample id, consecutive from 0 across shards
 * @param text the text
 * @param label the teacher's argmax
 * @param labelName the name of {@code label}
 * @param logits the teacher's logits {@code [L]}
 * @param prompt the prompt the text continued, {@code ""} when none
 * @param intendedLabel the label the prompt asked for, -1 when none
 * @param genLogProb the generator's log-probability of the text, NaN (JSON null) when none
 */
public record CorpusRecord(
    long id,
    String text,
    int label,
    String labelName,
    float[] logits,
    String prompt,
    int intendedLabel,
    double genLogProb) {

  public ObjectNode toJson() {
    ObjectNode node = Json.LINE_MAPPER.createObjectNode();
    node.put("id", id);
    node.put("text", text);
    node.put("label", label);
    node.put("label_name", labelName);
    ArrayNode arr = node.putArray("logits");
    for (float v : logits) {
      arr.add(v);
    }
    node.put("prompt", prompt);
    node.put("intended_label", intendedLabel);
    if (Double.isNaN(genLogProb)) {
      node.putNull("gen_logprob");
    } else {
      node.put("gen_logprob", genLogProb);
    }
    return node;
  }

  /**
   * Reads one shard line.
   *
   * @throws BadInputException naming the file and line when a field is missing or mistyped
   */
  public static CorpusRecord fromJson(ObjectNode node, Path file, int line) {
    JsonNode logitsNode = node.get("logits");
    if (logitsNode == null || !logitsNode.isArray() || logitsNode.isEmpty()) {
      throw bad(file, line, "logits", "a non-empty array of numbers", logitsNode);
    }
    float[] logits = new float[logitsNode.size()];
    for (int i = 0; i < logits.length; i++) {
      if (!logitsNode.get(i).isNumber()) {
        throw bad(file, line, "logits[" + i + "]", "a number", logitsNode.get(i));
      }
      logits[i] = logitsNode.get(i).floatValue();
    }
    JsonNode gen = node.get("gen_logprob");
    double genLogProb;
    if (gen == null || gen.isNull()) {
      genLogProb = Double.NaN;
    } else if (gen.isNumber()) {
      genLogProb = gen.doubleValue();
    } else {
      throw bad(file, line, "gen_logprob", "a number or null", gen);
    }
    int label = integer(node, "label", file, line);
    if (label < 0 || label >= logits.length) {
      throw BadInputException.of(file, "line " + line + ": label " + label + " is outside 0.."
          + (logits.length - 1) + " (the logits have " + logits.length + " entries)");
    }
    return new CorpusRecord(
        longValue(node, "id", file, line),
        string(node, "text", file, line),
        label,
        string(node, "label_name", file, line),
        logits,
        string(node, "prompt", file, line),
        integer(node, "intended_label", file, line),
        genLogProb);
  }

  private static String string(ObjectNode node, String field, Path file, int line) {
    JsonNode v = node.get(field);
    if (v == null || !v.isTextual()) {
      throw bad(file, line, field, "a string", v);
    }
    return v.asText();
  }

  private static int integer(ObjectNode node, String field, Path file, int line) {
    JsonNode v = node.get(field);
    if (v == null || !v.isInt()) {
      throw bad(file, line, field, "an integer", v);
    }
    return v.intValue();
  }

  private static long longValue(ObjectNode node, String field, Path file, int line) {
    JsonNode v = node.get(field);
    if (v == null || !v.canConvertToLong() || !v.isIntegralNumber()) {
      throw bad(file, line, field, "an integer", v);
    }
    return v.longValue();
  }

  private static BadInputException bad(Path file, int line, String field, String expected, JsonNode found) {
    return BadInputException.of(file, "line " + line + ": expected field '" + field + "' to be "
        + expected + ", found " + (found == null ? "none" : found.getNodeType()));
  }
}
