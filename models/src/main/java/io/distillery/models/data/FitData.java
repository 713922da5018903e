package io.distillery.models.data;

import java.util.List;

/**
 * What a training recipe may see of a demo task: the train split to fit on and the dev split to
 * select epochs and settings with. The test split is deliberately not here.
 *
 * @param task the task these examples belong to
 * @param train examples to fit on, sorted by id
 * @param dev examples for selection, sorted by id
 */
public record FitData(DemoTask task, List<LabelledText> train, List<LabelledText> dev) {
  public FitData {
    train = List.copyOf(train);
    dev = List.copyOf(dev);
    if (train.isEmpty() || dev.isEmpty()) {
      throw new IllegalArgumentException(task + ": train and dev must both be non-empty");
    }
  }

  /** Texts of {@code examples}, in order. */
  public static List<String> texts(List<LabelledText> examples) {
    return examples.stream().map(LabelledText::text).toList();
  }

  /** Labels of {@code examples}, in order. */
  public static int[] labels(List<LabelledText> examples) {
    return examples.stream().mapToInt(LabelledText::label).toArray();
  }
}
