package io.distillery.spark.pipeline;

import io.distillery.core.ConfigException;

/**
 * How the synth stage uses Spark.
 *
 * @param partitions partitions per labelling round, 0 = the context's default parallelism
 *     (executor cores); the corpus does not depend on it
 * @param maxRound most candidates labelled per round (one Spark job); bounds the driver's memory
 *     at about {@code maxRound} x (text + logits)
 * @param chunk texts per teacher call on an executor
 * @param teacherOnSharedStorage executors open the teacher at the driver's path (NFS or a copy on
 *     every node) instead of fetching it through {@code SparkContext.addFile}
 */
public record SparkSettings(int partitions, int maxRound, int chunk, boolean teacherOnSharedStorage) {
  public SparkSettings {
    if (partitions < 0) {
      throw new ConfigException("spark partitions must be >= 0 (0 = default parallelism), got " + partitions);
    }
    if (maxRound < 1) {
      throw new ConfigException("spark maxRound must be >= 1, got " + maxRound);
    }
    if (chunk < 1) {
      throw new ConfigException("spark chunk must be >= 1, got " + chunk);
    }
  }

  /** Default parallelism, rounds of at most 100,000 candidates, chunks of 2,048, files via Spark. */
  public static SparkSettings defaults() {
    return new SparkSettings(0, 100_000, 2048, false);
  }

  public SparkSettings withPartitions(int n) {
    return new SparkSettings(n, maxRound, chunk, teacherOnSharedStorage);
  }

  public SparkSettings withMaxRound(int n) {
    return new SparkSettings(partitions, n, chunk, teacherOnSharedStorage);
  }

  public SparkSettings withChunk(int n) {
    return new SparkSettings(partitions, maxRound, n, teacherOnSharedStorage);
  }

  public SparkSettings withTeacherOnSharedStorage(boolean shared) {
    return new SparkSettings(partitions, maxRound, chunk, shared);
  }
}
