package io.distillery.learn.reward;

import java.util.List;

/**
 * Logits of a classifier for a batch of texts, row i for text i, {@code [N, L]}: the teacher
 * (e.g. {@code ClassifierModel.classifier()::logits}) or a student probe.
 */
@FunctionalInterface
public interface TeacherLogits {
  float[][] logits(List<String> texts);
}
