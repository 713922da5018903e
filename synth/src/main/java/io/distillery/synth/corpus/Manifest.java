package io.distillery.synth.corpus;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.distillery.core.AtomicFiles;
import io.distillery.core.BadInputException;
import io.distillery.core.Json;
import io.distillery.synth.filter.RejectionCounts;
import io.distillery.synth.task.TaskSpec;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * A corpus folder's {@code manifest.json}: what the corpus is for, how it was made, and every
 * committed shard with its count and SHA-256. Rewritten atomically after each shard, so it lists
 * exactly the shards that are complete. Totals, label distribution and rejection counts are
 * derived from the shard entries (and checked against them when read).
 *
 * @param task the task spec
 * @param targetSamples samples the run aims for
 * @param settings the synth settings (the run's config: seed, shard size, filters, ...)
 * @param provenance where the inputs came from (teacher file and SHA-256, source description)
 * @param shards the committed shards, in order
 */
public record Manifest(
    TaskSpec task, long targetSamples, ObjectNode settings, ObjectNode provenance, List<ShardEntry> shards) {
  public static final String FORMAT = "distillery-corpus";
  public static final int FORMAT_VERSION = 1;
  public static final String FILE = "manifest.json";

  public Manifest {
    settings = settings.deepCopy();
    provenance = provenance.deepCopy();
    shards = List.copyOf(shards);
  }

  /** {@code shard-00000.jsonl} for shard 0. */
  public static String shardFileName(int index) {
    return String.format(Locale.ROOT, "shard-%05d.jsonl", index);
  }

  /** A copy with one more shard, which must be the next one. */
  public Manifest withShard(ShardEntry entry) {
    if (entry.index() != shards.size() || entry.firstId() != samples()) {
      throw new IllegalArgumentException("shard " + entry.index() + " (first id " + entry.firstId()
          + ") does not follow " + shards.size() + " shards of " + samples() + " samples");
    }
    List<ShardEntry> more = new ArrayList<>(shards);
    more.add(entry);
    return new Manifest(task, targetSamples, settings, provenance, more);
  }

  public long samples() {
    return shards.stream().mapToLong(ShardEntry::count).sum();
  }

  public long candidates() {
    return shards.stream().mapToLong(ShardEntry::candidates).sum();
  }

  public boolean complete() {
    return samples() >= targetSamples;
  }

  /** Samples per teacher label {@code [L]}. */
  public long[] labelCounts() {
    long[] counts = new long[task.numLabels()];
    for (ShardEntry s : shards) {
      for (int i = 0; i < counts.length; i++) {
        counts[i] += s.labelCounts().get(i);
      }
    }
    return counts;
  }

  public RejectionCounts rejections() {
    RejectionCounts total = new RejectionCounts();
    shards.forEach(s -> total.addAll(s.rejections()));
    return total;
  }

  public ObjectNode toJson() {
    ObjectNode node = Json.MAPPER.createObjectNode();
    node.put("format", FORMAT);
    node.put("format_version", FORMAT_VERSION);
    node.set("task", task.toJson());
    node.put("target_samples", targetSamples);
    node.set("settings", settings.deepCopy());
    node.set("provenance", provenance.deepCopy());
    ObjectNode totals = node.putObject("totals");
    totals.put("samples", samples());
    totals.put("shards", shards.size());
    totals.put("candidates", candidates());
    totals.put("accepted_ratio", candidates() == 0 ? 0.0 : samples() / (double) candidates());
    totals.put("complete", complete());
    ObjectNode dist = node.putObject("label_distribution");
    long[] counts = labelCounts();
    for (int i = 0; i < counts.length; i++) {
      dist.put(task.labels().get(i), counts[i]);
    }
    node.set("rejections", rejections().toJson());
    ArrayNode arr = node.putArray("shards");
    shards.forEach(s -> arr.add(s.toJson()));
    return node;
  }

  /** Writes {@code dir/manifest.json} atomically. */
  public void write(Path dir) {
    try {
      AtomicFiles.writeString(dir.resolve(FILE), Json.MAPPER.writeValueAsString(toJson()) + "\n");
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("manifest cannot be serialised", e);
    }
  }

  public static boolean exists(Path dir) {
    return Files.isRegularFile(dir.resolve(FILE));
  }

  /**
   * Reads {@code dir/manifest.json}.
   *
   * @throws BadInputException naming the file when it is missing, not a Distillery corpus manifest,
   *     of another format version, or inconsistent (shards out of order, totals that disagree with
   *     the shard entries)
   */
  public static Manifest read(Path dir) {
    Path file = dir.resolve(FILE);
    if (!Files.isRegularFile(file)) {
      throw BadInputException.of(file, "not found; expected a corpus folder written by distillery synth");
    }
    JsonNode root;
    try {
      root = Json.MAPPER.readTree(AtomicFiles.readBytes(file));
    } catch (java.io.IOException e) {
      throw BadInputException.of(file, "not valid JSON (" + e.getMessage().lines().findFirst().orElse("") + ")", e);
    }
    if (root == null || !root.isObject() || !FORMAT.equals(root.path("format").asText())) {
      throw BadInputException.of(file, "expected \"format\": \"" + FORMAT + "\", found "
          + (root == null ? "nothing" : root.path("format")));
    }
    // corpora written before the field existed are version 1, the layout they have
    JsonNode versionNode = root.path("format_version");
    if (!versionNode.isMissingNode() && !versionNode.canConvertToExactIntegral()) {
      throw BadInputException.of(file, "format_version: expected an integer, found " + versionNode);
    }
    int version = versionNode.isMissingNode() ? 1 : versionNode.asInt();
    if (version > FORMAT_VERSION) {
      throw BadInputException.of(file, "format_version " + version + " is newer than this "
          + "Distillery reads (" + FORMAT_VERSION + "); update Distillery to read this corpus");
    }
    if (version < 1) {
      throw BadInputException.of(file,
          "format_version " + version + " is not supported (expected " + FORMAT_VERSION + ")");
    }
    Manifest m;
    try {
      List<ShardEntry> shards = new ArrayList<>();
      for (JsonNode s : root.path("shards")) {
        shards.add(ShardEntry.fromJson(s));
      }
      JsonNode settings = root.get("settings");
      JsonNode provenance = root.get("provenance");
      if (!(settings instanceof ObjectNode) || !(provenance instanceof ObjectNode)) {
        throw new IllegalArgumentException("expected objects 'settings' and 'provenance'");
      }
      m = new Manifest(TaskSpec.fromJson(root.get("task")), root.path("target_samples").asLong(),
          (ObjectNode) settings, (ObjectNode) provenance, shards);
    } catch (IllegalArgumentException e) {
      throw BadInputException.of(file, e.getMessage(), e);
    }
    m.check(file, root);
    return m;
  }

  private void check(Path file, JsonNode root) {
    long nextId = 0;
    for (int i = 0; i < shards.size(); i++) {
      ShardEntry s = shards.get(i);
      if (s.index() != i || !s.file().equals(shardFileName(i)) || s.firstId() != nextId || s.count() < 1) {
        throw BadInputException.of(file, "shard entry " + i + " is inconsistent: expected index " + i
            + ", file " + shardFileName(i) + ", first_id " + nextId + ", count >= 1; found index "
            + s.index() + ", file " + s.file() + ", first_id " + s.firstId() + ", count " + s.count());
      }
      if (s.labelCounts().size() != task.numLabels()
          || s.labelCounts().stream().mapToLong(Long::longValue).sum() != s.count()) {
        throw BadInputException.of(file, "shard entry " + i + ": label_counts " + s.labelCounts()
            + " do not sum to its count " + s.count() + " over " + task.numLabels() + " labels");
      }
      nextId += s.count();
    }
    long stated = root.path("totals").path("samples").asLong(-1);
    if (stated != samples()) {
      throw BadInputException.of(file, "totals.samples says " + stated + " but the shard entries hold "
          + samples());
    }
  }
}
