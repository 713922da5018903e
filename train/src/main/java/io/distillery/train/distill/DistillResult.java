package io.distillery.train.distill;

import io.distillery.export.student.StudentWeights;
import java.util.List;

/**
 * What a distillation run produced.
 *
 * @param weights the student: the best-dev-accuracy epoch's weights when there is a dev set,
 *     else the last step's (also the last step's when {@code completed} is false)
 * @param history one record per finished epoch, in order (resumed epochs included)
 * @param bestEpoch 1-based epoch of {@code weights} when chosen on dev, else the last epoch
 * @param bestDevAccuracy dev accuracy of {@code weights} (NaN without a dev set)
 * @param steps optimizer steps done
 * @param totalSteps steps a full run takes
 * @param stoppedEarly whether early stopping ended the run
 * @param completed false when the run stopped at a caller's step limit (resume to finish)
 * @param resumedFromStep the step a checkpoint put this run at (0 for a fresh run)
 * @param trainSeconds training time, resumed runs included
 * @param tokensPerSecond real (unpadded) training tokens per second
 * @param skippedSteps steps dropped for a non-finite loss or gradient (no update applied)
 */
public record DistillResult(StudentWeights weights, List<EpochRecord> history, int bestEpoch,
    double bestDevAccuracy, int steps, int totalSteps, boolean stoppedEarly, boolean completed,
    int resumedFromStep, double trainSeconds, double tokensPerSecond, int skippedSteps) {
  public DistillResult {
    history = List.copyOf(history);
  }
}
