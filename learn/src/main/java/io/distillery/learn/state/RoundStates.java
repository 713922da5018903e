package io.distillery.learn.state;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.distillery.core.AtomicFiles;
import io.distillery.core.BadInputException;
import io.distillery.core.Json;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;

/**
 * The on-disk state of a learning loop that checkpoints once per corpus shard: {@code
 * state-k/} folders (the state after k shards) and the round log {@code rounds.jsonl}. The
 * synthesizer commits shard k, the learner saves {@code state-k}, then the manifest lists shard k;
 * so the state of the manifest's shard count always exists, and every older one can go.
 */
public final class RoundStates {
  /** The round log's file name. */
  public static final String ROUNDS = "rounds.jsonl";

  private final Path dir;

  public RoundStates(Path dir) {
    this.dir = dir;
  }

  /** The folder of the state after {@code shards} shards. */
  public Path state(int shards) {
    return dir.resolve(String.format(Locale.ROOT, "state-%05d", shards));
  }

  /**
   * The folder of the state after {@code shards} shards, which must exist.
   *
   * @throws BadInputException naming the folder when it is gone
   */
  public Path existing(int shards) {
    Path state = state(shards);
    if (!Files.isDirectory(state)) {
      throw BadInputException.of(state, "missing: the corpus has " + shards + " shards but the"
          + " learner's checkpoint after shard " + shards + " is gone; delete the run folder to"
          + " start over");
    }
    return state;
  }

  /** Writes {@code node} as {@code file} in the state after {@code shards} shards, atomically. */
  public void write(int shards, String file, JsonNode node) {
    Path state = state(shards);
    try {
      Files.createDirectories(state);
      AtomicFiles.writeString(state.resolve(file), Json.MAPPER.writeValueAsString(node));
    } catch (IOException e) {
      throw new UncheckedIOException(state + ": cannot write " + file, e);
    }
  }

  /** Reads {@code file} of the state after {@code shards} shards. */
  public JsonNode read(int shards, String file) {
    Path path = existing(shards).resolve(file);
    try {
      return Json.MAPPER.readTree(Files.readString(path));
    } catch (IOException e) {
      throw BadInputException.of(path, "cannot read the learner's state (" + e.getMessage() + ")", e);
    }
  }

  /** Rewrites the round log (one JSON object per line), atomically. */
  public void writeRounds(List<ObjectNode> rounds) {
    StringBuilder jsonl = new StringBuilder();
    try {
      for (ObjectNode line : rounds) {
        jsonl.append(Json.LINE_MAPPER.writeValueAsString(line)).append('\n');
      }
      Files.createDirectories(dir);
      AtomicFiles.writeString(dir.resolve(ROUNDS), jsonl.toString());
    } catch (IOException e) {
      throw new UncheckedIOException(dir + ": cannot write " + ROUNDS, e);
    }
  }

  /** Deletes the states of fewer than {@code shards} shards. */
  public void pruneBefore(int shards) {
    if (!Files.isDirectory(dir)) {
      return;
    }
    try (Stream<Path> files = Files.list(dir)) {
      for (Path p : files.toList()) {
        String name = p.getFileName().toString();
        if (name.matches("state-\\d{5}") && Integer.parseInt(name.substring(6)) < shards) {
          try (Stream<Path> walk = Files.walk(p)) {
            for (Path q : walk.sorted(Comparator.reverseOrder()).toList()) {
              Files.delete(q);
            }
          }
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(dir + ": cannot prune old learner states", e);
    }
  }
}
