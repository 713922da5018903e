package io.distillery.synth.prompt;

/**
 * What became of one generated text: the teacher's verdict and whether it entered the corpus.
 * This is the reward signal a learning prompt strategy consumes.
 *
 * @param prompt the prompt text the text continued ({@code ""} when there was none)
 * @param intendedLabel the label the prompt asked for, or {@link Prompt#NO_LABEL}
 * @param text the candidate text
 * @param generatorLogProb sum of the generator's log-probabilities of the kept tokens, NaN when
 *     no generator wrote it
 * @param logits the teacher's logits {@code [L]}, null when the filters threw the text away
 *     before the teacher saw it
 * @param label the teacher's argmax, -1 for a filtered text
 * @param accepted whether the text was written to the corpus (false: filtered, or rejected after
 *     labelling, e.g. a surplus label or a duplicate within its batch)
 */
public record ScoredSample(
    String prompt,
    int intendedLabel,
    String text,
    double generatorLogProb,
    float[] logits,
    int label,
    boolean accepted) {
  /** A candidate the filters rejected before labelling. */
  public static ScoredSample filtered(String prompt, int intendedLabel, String text,
      double generatorLogProb) {
    return new ScoredSample(prompt, intendedLabel, text, generatorLogProb, null, -1, false);
  }

  /** Whether the filters threw it away before the teacher saw it. */
  public boolean isFiltered() {
    return logits == null;
  }
}
