package io.distillery.synth.pipeline;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.distillery.core.ConfigException;
import io.distillery.core.Json;
import io.distillery.synth.filter.FilterConfig;
import io.distillery.synth.source.GenerationSettings;
import io.distillery.synth.task.TaskSpec;

/**
 * Settings of one corpus synthesis.
 *
 * @param task labels and description
 * @param targetSamples samples to write
 * @param shardSize samples per shard (the last shard may be smaller)
 * @param batchSize candidates drawn from the source per step (the generator's batch)
 * @param seed run seed; shard {@code k} draws from a seed derived from it and {@code k}
 * @param filters length, repetition and dedup checks
 * @param rebalance cap each teacher label at {@code ceil(targetSamples / numLabels)} samples,
 *     skipping surplus samples
 * @param generation sampling and cutting settings for a generator source (recorded in the
 *     manifest; a raw corpus source ignores them)
 * @param maxCandidatesPerSample a shard fails when it needs more than this many candidates per
 *     sample (the source cannot feed the filters)
 * @param maxShards stop after writing this many shards in this run (0 = run to the target); not
 *     part of the corpus identity, so a later run resumes
 */
public record SynthConfig(
    TaskSpec task,
    long targetSamples,
    int shardSize,
    int batchSize,
    long seed,
    FilterConfig filters,
    boolean rebalance,
    GenerationSettings generation,
    int maxCandidatesPerSample,
    int maxShards) {
  public static final long MAX_SAMPLES = 1_000_000_000L;
  public static final int MAX_BATCH = 4096;

  public SynthConfig {
    if (task == null || filters == null || generation == null) {
      throw new ConfigException("synth config: task, filters and generation must be set");
    }
    if (targetSamples < 1 || targetSamples > MAX_SAMPLES) {
      throw new ConfigException("synth targetSamples must be 1.." + MAX_SAMPLES + ", got " + targetSamples);
    }
    if (shardSize < 1 || shardSize > 10_000_000) {
      throw new ConfigException("synth shardSize must be 1..10000000, got " + shardSize);
    }
    if (batchSize < 1 || batchSize > MAX_BATCH) {
      throw new ConfigException("synth batchSize must be 1.." + MAX_BATCH + ", got " + batchSize);
    }
    if (maxCandidatesPerSample < 1 || maxCandidatesPerSample > 1_000_000) {
      throw new ConfigException(
          "synth maxCandidatesPerSample must be 1..1000000, got " + maxCandidatesPerSample);
    }
    if (maxShards < 0) {
      throw new ConfigException("synth maxShards must be >= 0 (0 = no limit), got " + maxShards);
    }
  }

  /**
   * Shards of 1,000, batches of 32, seed 42, default filters and generation, no rebalancing, at
   * most 50 candidates per sample, no shard limit.
   */
  public static SynthConfig defaults(TaskSpec task, long targetSamples) {
    return new SynthConfig(task, targetSamples, 1000, 32, 42L, FilterConfig.defaults(), false,
        GenerationSettings.defaults(), 50, 0);
  }

  public SynthConfig withTargetSamples(long n) {
    return new SynthConfig(task, n, shardSize, batchSize, seed, filters, rebalance, generation,
        maxCandidatesPerSample, maxShards);
  }

  public SynthConfig withShardSize(int n) {
    return new SynthConfig(task, targetSamples, n, batchSize, seed, filters, rebalance, generation,
        maxCandidatesPerSample, maxShards);
  }

  public SynthConfig withBatchSize(int n) {
    return new SynthConfig(task, targetSamples, shardSize, n, seed, filters, rebalance, generation,
        maxCandidatesPerSample, maxShards);
  }

  public SynthConfig withSeed(long s) {
    return new SynthConfig(task, targetSamples, shardSize, batchSize, s, filters, rebalance, generation,
        maxCandidatesPerSample, maxShards);
  }

  public SynthConfig withFilters(FilterConfig f) {
    return new SynthConfig(task, targetSamples, shardSize, batchSize, seed, f, rebalance, generation,
        maxCandidatesPerSample, maxShards);
  }

  public SynthConfig withRebalance(boolean r) {
    return new SynthConfig(task, targetSamples, shardSize, batchSize, seed, filters, r, generation,
        maxCandidatesPerSample, maxShards);
  }

  public SynthConfig withGeneration(GenerationSettings g) {
    return new SynthConfig(task, targetSamples, shardSize, batchSize, seed, filters, rebalance, g,
        maxCandidatesPerSample, maxShards);
  }

  public SynthConfig withMaxCandidatesPerSample(int n) {
    return new SynthConfig(task, targetSamples, shardSize, batchSize, seed, filters, rebalance,
        generation, n, maxShards);
  }

  public SynthConfig withMaxShards(int n) {
    return new SynthConfig(task, targetSamples, shardSize, batchSize, seed, filters, rebalance,
        generation, maxCandidatesPerSample, n);
  }

  /** Samples per label allowed when rebalancing. */
  public long labelCap() {
    return (targetSamples + task.numLabels() - 1) / task.numLabels();
  }

  /** The settings that define the corpus (everything but {@code maxShards}), as the manifest stores them. */
  public ObjectNode toJson() {
    ObjectNode node = Json.MAPPER.createObjectNode();
    node.put("target_samples", targetSamples);
    node.put("shard_size", shardSize);
    node.put("batch_size", batchSize);
    node.put("seed", seed);
    node.put("rebalance", rebalance);
    node.put("max_candidates_per_sample", maxCandidatesPerSample);
    node.set("filters", filters.toJson());
    node.set("generation", generation.toJson());
    return node;
  }
}
