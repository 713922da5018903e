package io.distillery.runtime.generate;

/**
 * Says, per prompt, when a continuation is done, from its text so far: generation checks it after
 * every new token and the row leaves the batch once it holds (the caller's own cut, e.g. "the first
 * sentence is complete", so no tokens are generated only to be thrown away).
 *
 * <p>It must be a pure function of its arguments: the same prompt and text always give the same
 * answer, whatever else is in the batch.
 */
@FunctionalInterface
public interface StopCondition {
  /** Never stops early: rows run to end of text, a stop sequence, the token limit or the context. */
  StopCondition NEVER = (prompt, text) -> false;

  /**
   * Whether prompt {@code prompt}'s continuation is done.
   *
   * @param prompt the prompt's index in the list given to generation
   * @param text the generated text so far (prompt excluded, special tokens dropped)
   */
  boolean done(int prompt, String text);
}
