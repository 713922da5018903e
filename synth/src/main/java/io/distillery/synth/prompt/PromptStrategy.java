package io.distillery.synth.prompt;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.distillery.synth.corpus.CorpusRecord;
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

  /**
   * Whether {@link #feedback} changes what {@link #next} returns (a learning strategy). Default:
   * true; a strategy that ignores feedback says false, so its source may draw ahead.
   */
  default boolean learnsFromFeedback() {
    return true;
  }

  /** The teacher's verdict on texts written from this strategy's prompts; default: ignored. */
  default void feedback(List<ScoredSample> samples) {}

  /** What this strategy is, for the corpus manifest's provenance (kind and settings). */
  ObjectNode describe();
  /**
   * Shard {@code shards - 1} was just committed (the manifest listing it comes next): a learning
   * strategy checkpoints here, under a name that says after how many shards, keeping the previous
   * checkpoint until the manifest is written. Default: nothing.
   */
  default void committed(int shards) {}

  /**
   * Before writing resumes after {@code shards} committed shards (0 for a fresh corpus): a learning
   * strategy restores the state it had {@link #committed} there. {@code corpus} is the committed
   * corpus in id order. Default: nothing.
   */
  default void resume(int shards, List<CorpusRecord> corpus) {}
}
