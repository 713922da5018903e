package io.distillery.synth.corpus;

import io.distillery.core.JsonlWriter;
import io.distillery.core.Sha256;
import io.distillery.synth.filter.RejectionCounts;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Writes one shard: records stream into a temp file beside {@code shard-NNNNN.jsonl}, which is
 * renamed into place by {@link #commit}; closing without commit leaves no shard file behind.
 */
public final class ShardWriter implements AutoCloseable {
  private final Path file;
  private final int index;
  private final long firstId;
  private final long[] labelCounts;
  private final JsonlWriter writer;
  private int count;

  public ShardWriter(Path dir, int index, long firstId, int numLabels) {
    this.file = dir.resolve(Manifest.shardFileName(index));
    this.index = index;
    this.firstId = firstId;
    this.labelCounts = new long[numLabels];
    this.writer = new JsonlWriter(file);
  }

  /** Appends a record; its id must be the next one. */
  public void write(CorpusRecord record) {
    if (record.id() != firstId + count) {
      throw new IllegalArgumentException(
          "record id " + record.id() + " does not follow id " + (firstId + count - 1));
    }
    writer.write(record.toJson());
    labelCounts[record.label()]++;
    count++;
  }

  /** The id the next record must carry. */
  public long nextId() {
    return firstId + count;
  }

  public int count() {
    return count;
  }

  /** Publishes the shard and returns its manifest entry. */
  public ShardEntry commit(long candidates, RejectionCounts rejections) {
    if (count == 0) {
      throw new IllegalStateException(file + ": a shard needs at least one record");
    }
    writer.commit();
    List<Long> counts = new ArrayList<>();
    for (long c : labelCounts) {
      counts.add(c);
    }
    RejectionCounts copy = new RejectionCounts();
    copy.addAll(rejections);
    return new ShardEntry(index, file.getFileName().toString(), firstId, count, Sha256.of(file),
        candidates, counts, copy);
  }

  @Override
  public void close() {
    writer.close();
  }
}
