package io.distillery.train.distill;

/** The learning-rate shape after linear warm-up. */
public enum LrDecay {
  /** Linearly from the peak to 0 at the last step. */
  LINEAR,
  /** Half a cosine from the peak to 0 at the last step. */
  COSINE,
  /** Stays at the peak. */
  CONSTANT
}
