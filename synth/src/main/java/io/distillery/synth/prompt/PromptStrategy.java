package io.distillery.synth.prompt;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Chooses the prompts the generator continues. The baseline is {@link TemplatePrompts}; learning
 * strategies (a reinforced topic prompter, a corpus rewriter) plug in here and learn from {@link
 * #feedback}.
 *
 * <p>Determinism: {@link #next} must depend only on the strategy's state and {@code rng}. The
 * synthesizer re-seeds {@code rng} per shard, so a stateless strategy resumes exactly; a strategy
 * whose state changes through {@link #feedback} must make that state restorable to resume
 * exactly.
 */
public interface PromptStrategy {
  /** {@code n} prompts, drawn with {@code rng}. */
  List<Prompt> next(int n, SplittableRandom rng);

  /** The teacher's verdict on texts written from this strategy's prompts; default: ignored. */
  default void feedback(List<ScoredSample> samples) {}

  /** What this strategy is, for the corpus manifest's provenance (kind and settings). */
  ObjectNode describe();
}
