package io.distillery.runtime.eval;

import com.fasterxml.jackson.databind.JsonNode;
import io.distillery.core.BadInputException;
import io.distillery.core.JsonlReader;
import io.distillery.runtime.classify.ClassifierModel;
import io.distillery.runtime.model.LabelMap;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Scores a classifier on a labelled JSON Lines file: each record has a text field and a gold
 * label field, either a label id (int) or a label name from the model's {@code id2label}.
 */
public final class Evaluator {
  private Evaluator() {}

  /** Gold labels and texts read from a labelled file, in file order. */
  public record LabelledData(List<String> texts, int[] gold) {}

  public static ClassificationReport evaluate(
      ClassifierModel model, Path data, String textField, String labelField) {
    LabelledData d = read(data, textField, labelField, model.labels());
    float[][] logits = model.classifier().logits(d.texts());
    return ClassificationReport.of(
        model.labels().names(), d.gold(), ClassificationReport.argmax(logits));
  }

  /** Reads texts and gold label ids, naming the file and line of any bad record. */
  public static LabelledData read(Path data, String textField, String labelField, LabelMap labels) {
    List<String> texts = new ArrayList<>();
    List<Integer> gold = new ArrayList<>();
    try (JsonlReader reader = JsonlReader.open(data)) {
      while (reader.hasNext()) {
        JsonlReader.Line line = reader.next();
        texts.add(reader.requireText(line, textField));
        gold.add(labelId(data, line, labelField, labels));
      }
    }
    return new LabelledData(texts, gold.stream().mapToInt(Integer::intValue).toArray());
  }

  private static int labelId(Path data, JsonlReader.Line line, String field, LabelMap labels) {
    JsonNode v = line.json().get(field);
    String where = "line " + line.number() + ": ";
    if (v == null) {
      throw BadInputException.of(data, where + "no gold label field '" + field + "'");
    }
    if (v.isIntegralNumber()) {
      int id = v.asInt();
      if (id < 0 || id >= labels.size()) {
        throw BadInputException.of(
            data, where + "label id " + id + " outside the model's labels " + labels.names());
      }
      return id;
    }
    if (v.isTextual()) {
      int id = labels.indexOf(v.asText());
      if (id < 0) {
        throw BadInputException.of(
            data,
            where + "label '" + v.asText() + "' is not one of the model's labels "
                + labels.names());
      }
      return id;
    }
    throw BadInputException.of(
        data, where + "expected '" + field + "' to be a label id or name, found " + v.getNodeType());
  }
}
