package io.distillery.train.distill;

/**
 * What one epoch did.
 *
 * @param epoch 1-based
 * @param step optimizer steps done at its end
 * @param trainLoss mean training loss over its steps
 * @param devAccuracy accuracy on the dev set at its end (NaN without a dev set)
 * @param elapsedSeconds training time at its end, resumed runs included
 */
public record EpochRecord(int epoch, int step, double trainLoss, double devAccuracy,
    double elapsedSeconds) {}
