package io.distillery.train.loss;

/** How the student is pulled towards the teacher's logits. */
public enum SoftLoss {
  /**
   * Hinton et al.: {@code T² · KL(softmax(t/T) || softmax(s/T))}, summed over labels, averaged
   * over the batch. The T² keeps gradient magnitudes comparable across temperatures.
   */
  KL_DIVERGENCE,
  /**
   * Mean squared error between raw logits, averaged over batch and labels (the temperature does
   * not apply). Matches the teacher's logit scale, not just its ranking.
   */
  LOGIT_MSE
}
