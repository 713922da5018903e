package io.distillery.synth.label;

import io.distillery.runtime.classify.Classifier;
import io.distillery.synth.source.Candidate;
import java.util.ArrayList;
import java.util.List;

/**
 * Where the synthesizer gets the teacher's scores for the candidates that passed the filters: the
 * teacher itself ({@link #of}), or scores computed elsewhere beforehand (Spark executors label
 * candidates in parallel and the driver's synthesizer looks them up).
 */
@FunctionalInterface
public interface SoftLabels {
  /**
   * Teacher logits for each candidate, in order.
   *
   * @return {@code [candidates.size(), numLabels]}
   */
  float[][] logits(List<Candidate> candidates);

  /** Runs the teacher on the candidates' texts. */
  static SoftLabels of(Classifier teacher) {
    return candidates -> {
      List<String> texts = new ArrayList<>(candidates.size());
      candidates.forEach(c -> texts.add(c.text()));
      return teacher.logits(texts);
    };
  }
}
