package io.distillery.synth.corpus;

import io.distillery.core.BadInputException;
import io.distillery.core.JsonlReader;
import io.distillery.core.Sha256;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.NoSuchElementException;

/**
 * Streams a corpus folder's records in id order, shard by shard. Before a shard is read its
 * SHA-256 is checked against the manifest, and while it is read its records must carry the ids and
 * count the manifest promises; any difference is a {@link BadInputException} naming the shard.
 * Only the shards the manifest lists are read (a shard file written after the last manifest
 * update, by an interrupted run, is ignored).
 */
public final class CorpusReader implements Iterator<CorpusRecord>, AutoCloseable {
  private final Path dir;
  private final Manifest manifest;
  private int shard = -1;
  private JsonlReader reader;
  private long nextId;
  private int inShard;

  private CorpusReader(Path dir, Manifest manifest) {
    this.dir = dir;
    this.manifest = manifest;
  }

  /** Opens a corpus folder (reads and checks its manifest; shards are verified as they are reached). */
  public static CorpusReader open(Path dir) {
    return new CorpusReader(dir, Manifest.read(dir));
  }

  public Manifest manifest() {
    return manifest;
  }

  /**
   * Checks every listed shard's SHA-256 without parsing it.
   *
   * @return the manifest
   * @throws BadInputException naming the first shard that is missing or differs
   */
  public static Manifest verify(Path dir) {
    Manifest m = Manifest.read(dir);
    for (ShardEntry s : m.shards()) {
      verifyShard(dir, s);
    }
    return m;
  }

  static void verifyShard(Path dir, ShardEntry s) {
    Path file = dir.resolve(s.file());
    if (!Files.isRegularFile(file)) {
      throw BadInputException.of(file, "missing; the manifest lists it with " + s.count() + " records");
    }
    String found = Sha256.of(file);
    if (!found.equalsIgnoreCase(s.sha256())) {
      throw BadInputException.of(file, "checksum mismatch: the manifest expects sha256 " + s.sha256()
          + ", found " + found + "; the shard changed after it was written");
    }
  }

  @Override
  public boolean hasNext() {
    while (reader == null || !reader.hasNext()) {
      if (reader != null) {
        finishShard();
      }
      if (shard + 1 >= manifest.shards().size()) {
        return false;
      }
      shard++;
      ShardEntry s = manifest.shards().get(shard);
      verifyShard(dir, s);
      reader = JsonlReader.open(dir.resolve(s.file()));
      nextId = s.firstId();
      inShard = 0;
    }
    return true;
  }

  @Override
  public CorpusRecord next() {
    if (!hasNext()) {
      throw new NoSuchElementException();
    }
    JsonlReader.Line line = reader.next();
    CorpusRecord r = CorpusRecord.fromJson(line.json(), reader.file(), line.number());
    if (r.id() != nextId) {
      throw BadInputException.of(reader.file(),
          "line " + line.number() + ": expected id " + nextId + ", found " + r.id());
    }
    nextId++;
    inShard++;
    return r;
  }

  private void finishShard() {
    ShardEntry s = manifest.shards().get(shard);
    reader.close();
    reader = null;
    if (inShard != s.count()) {
      throw BadInputException.of(dir.resolve(s.file()),
          "expected " + s.count() + " records (manifest), found " + inShard);
    }
  }

  @Override
  public void close() {
    if (reader != null) {
      reader.close();
      reader = null;
    }
  }
}
