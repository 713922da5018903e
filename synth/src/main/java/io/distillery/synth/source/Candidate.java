package io.distillery.synth.source;

import io.distillery.synth.prompt.Prompt;

/**
 * A text offered for the corpus, before filtering and labelling.
 *
 * @param text the candidate text (for a generator: the continuation only, without the prompt)
 * @param prompt the prompt it continues, {@code ""} when there was none
 * @param intendedLabel the label the prompt asked for, or {@link Prompt#NO_LABEL}
 * @param generatorLogProb the generator's log-probability of the kept tokens (summed), NaN when no
 *     generator wrote the text
 */
public record Candidate(String text, String prompt, int intendedLabel, double generatorLogProb) {
  public Candidate {
    if (text == null || prompt == null) {
      throw new IllegalArgumentException("candidate text and prompt must be non-null");
    }
    if (intendedLabel < Prompt.NO_LABEL) {
      throw new IllegalArgumentException("intendedLabel must be >= -1, got " + intendedLabel);
    }
  }

  /** A text that no prompt asked for and no generator wrote (a raw corpus line). */
  public static Candidate raw(String text) {
    return new Candidate(text, "", Prompt.NO_LABEL, Double.NaN);
  }
}
