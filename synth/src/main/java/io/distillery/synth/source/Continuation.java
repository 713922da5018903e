package io.distillery.synth.source;

/**
 * One continuation written by a generator.
 *
 * @param text the new text only (the prompt excluded), i.e. the decoding of {@code tokenIds}
 * @param tokenIds the new tokens {@code [T]}
 * @param tokenLogProbs each new token's log-probability under the sampling distribution {@code [T]}
 */
public record Continuation(String text, long[] tokenIds, float[] tokenLogProbs) {
  public Continuation {
    if (text == null || tokenIds == null || tokenLogProbs == null) {
      throw new IllegalArgumentException("generation text, ids and log-probs must be non-null");
    }
    if (tokenIds.length != tokenLogProbs.length) {
      throw new IllegalArgumentException("generation has " + tokenIds.length + " token ids but "
          + tokenLogProbs.length + " log-probs");
    }
  }
}
