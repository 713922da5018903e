package io.distillery.synth.source;

/**
 * Where a source stands when a shard begins. A source draws everything for the shard from these
 * numbers alone, so a resumed run regenerates a shard exactly as an uninterrupted run did.
 *
 * @param shard the shard's index, from 0
 * @param runSeed the run's seed
 * @param shardSeed the seed of this shard (derived from the run seed and the shard index)
 * @param candidatesBefore candidates drawn from the source by all earlier shards
 */
public record ShardStart(int shard, long runSeed, long shardSeed, long candidatesBefore) {
  public ShardStart {
    if (shard < 0 || candidatesBefore < 0) {
      throw new IllegalArgumentException(
          "shard and candidatesBefore must be >= 0, got " + shard + ", " + candidatesBefore);
    }
  }
}
