package io.distillery.cli.pipeline;

import io.distillery.train.distill.DistillResult;

/**
 * What a distillation left: the figures the model card shows and {@code distillery distill
 * --json} prints (a run keeps it in its stages.json across resumes).
 *
 * @param steps optimizer steps taken
 * @param bestEpoch the epoch whose weights were exported
 * @param bestDevAccuracy dev accuracy of that epoch (NaN without a dev set)
 * @param trainSeconds training wall time, over all resumes
 * @param tokensPerSecond training throughput
 * @param corpusSamples samples in the corpus the student learnt from
 */
public record DistillSummary(int steps, int bestEpoch, double bestDevAccuracy, double trainSeconds,
    double tokensPerSecond, long corpusSamples) {
  static DistillSummary of(DistillResult r, long corpusSamples) {
    return new DistillSummary(r.steps(), r.bestEpoch(), r.bestDevAccuracy(), r.trainSeconds(),
        r.tokensPerSecond(), corpusSamples);
  }
}
