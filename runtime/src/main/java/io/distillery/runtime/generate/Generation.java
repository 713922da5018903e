package io.distillery.runtime.generate;

/**
 * One prompt's continuation.
 *
 * @param prompt the prompt as given
 * @param text the generated text (prompt excluded, cut before a stop sequence, special tokens
 *     dropped)
 * @param tokenIds the generated token ids, in order (an end-of-text token included)
 * @param logProbs the model's natural-log probability of each generated token given everything
 *     before it, from the raw logits (temperature 1, before top-k/top-p), as policy-gradient
 *     rewards need
 * @param finish why generation stopped
 */
public record Generation(String prompt, String text, long[] tokenIds, float[] logProbs,
    FinishReason finish) {

  /** Sum of {@link #logProbs()}: the log-probability of the whole continuation. */
  public double totalLogProb() {
    double s = 0;
    for (float lp : logProbs) {
      s += lp;
    }
    return s;
  }
}
