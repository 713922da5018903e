package io.distillery.synth.pipeline;

import java.nio.file.Path;
import java.util.Map;

/**
 * What a synthesis run left in its folder.
 *
 * @param dir the corpus folder
 * @param samples samples in the corpus now
 * @param targetSamples samples the corpus aims for
 * @param shards shards in the corpus now
 * @param shardsWritten shards this run wrote (0 when the corpus was already complete)
 * @param candidates candidates drawn over the whole corpus
 * @param complete whether the corpus reached its target
 * @param labelDistribution samples per teacher label, label name to count, in label order
 * @param rejections candidates rejected over the whole corpus, reason key to count
 * @param seconds wall time of this run
 */
public record SynthSummary(
    Path dir,
    long samples,
    long targetSamples,
    int shards,
    int shardsWritten,
    long candidates,
    boolean complete,
    Map<String, Long> labelDistribution,
    Map<String, Long> rejections,
    double seconds) {}
