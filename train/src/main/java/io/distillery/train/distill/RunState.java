package io.distillery.train.distill;

import java.util.ArrayList;
import java.util.List;

/**
 * The mutable bookkeeping of one distillation run, everything besides weights and optimizer
 * moments that a checkpoint must restore for a resumed run to continue exactly.
 */
final class RunState {
  int step;
  int bestEpoch;
  double bestAccuracy = Double.NaN;
  int badEpochs;
  boolean stoppedEarly;
  double epochLossSum;
  int epochLossCount;
  double trainSeconds;
  long tokens;
  int skippedSteps;
  int consecutiveSkips;
  final List<EpochRecord> history = new ArrayList<>();
  /** The best epoch's parameters, in named-parameter order; null until a dev evaluation. */
  List<float[]> best;

  /** Mean loss of the current epoch so far (NaN before its first step). */
  double epochLoss() {
    return epochLossCount == 0 ? Double.NaN : epochLossSum / epochLossCount;
  }
}
