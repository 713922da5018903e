package io.distillery.train.head;

import java.util.List;

/**
 * How head training went: the selected epoch, its accuracies, the per-epoch history and DJL's own
 * dev logits at the selected epoch (for parity checks of the exported weights).
 *
 * @param bestEpoch the 1-based epoch whose weights were kept
 * @param trainAccuracy accuracy on the training set at {@code bestEpoch}
 * @param devAccuracy accuracy on the dev set at {@code bestEpoch}
 * @param devLoss mean dev cross-entropy at {@code bestEpoch}
 * @param epochs one entry per epoch, in order
 * @param devLogits DJL's logits for the dev inputs at {@code bestEpoch}, {@code [N_dev, L]}
 */
public record HeadMetrics(
    int bestEpoch,
    double trainAccuracy,
    double devAccuracy,
    double devLoss,
    List<EpochMetrics> epochs,
    float[][] devLogits) {
  public HeadMetrics {
    epochs = List.copyOf(epochs);
  }

  /**
   * One epoch.
   *
   * @param epoch 1-based epoch number
   * @param trainLoss mean mini-batch cross-entropy during the epoch
   * @param trainAccuracy accuracy on the whole training set after the epoch
   * @param devAccuracy accuracy on the dev set after the epoch
   * @param devLoss mean dev cross-entropy after the epoch
   */
  public record EpochMetrics(
      int epoch, double trainLoss, double trainAccuracy, double devAccuracy, double devLoss) {}
}
