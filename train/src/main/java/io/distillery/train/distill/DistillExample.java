package io.distillery.train.distill;

import io.distillery.core.ConfigException;

/**
 * One example to distil on, or to evaluate with.
 *
 * @param text the input text
 * @param teacherLogits the teacher's logits {@code [L]}; may be empty for dev examples, which
 *     are scored by {@code label} only
 * @param label a class index: the teacher's argmax for a synthetic corpus, the gold label for a
 *     real split; {@value #NO_LABEL} when unknown
 */
public record DistillExample(String text, float[] teacherLogits, int label) {
  public static final int NO_LABEL = -1;

  public DistillExample {
    if (text == null) {
      throw new ConfigException("distill example: text must not be null");
    }
    if (teacherLogits == null) {
      teacherLogits = new float[0];
    }
    if (label < NO_LABEL) {
      throw new ConfigException("distill example: label must be >= 0 or " + NO_LABEL
          + " (unknown), got " + label);
    }
  }

  /** A training example labelled with the teacher's argmax. */
  public static DistillExample ofTeacher(String text, float[] teacherLogits) {
    int best = 0;
    for (int i = 1; i < teacherLogits.length; i++) {
      if (teacherLogits[i] > teacherLogits[best]) {
        best = i;
      }
    }
    return new DistillExample(text, teacherLogits, teacherLogits.length == 0 ? NO_LABEL : best);
  }

  /** A dev example with a gold label and no teacher logits. */
  public static DistillExample ofGold(String text, int label) {
    return new DistillExample(text, new float[0], label);
  }
}
