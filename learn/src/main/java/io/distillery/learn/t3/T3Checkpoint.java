package io.distillery.learn.t3;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.distillery.core.AtomicFiles;
import io.distillery.core.BadInputException;
import io.distillery.core.ConfigException;
import io.distillery.core.Json;
import io.distillery.learn.gpt.GptPolicy;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * The resumable state of a tuning run, one folder: the policy (weights, AdamW moments, update
 * count: {@code checkpoint.bin}), {@code state.json} (steps done, the per-label baselines, the
 * settings it was made with) and {@code accepted.txt} (the texts the novelty index holds, one a
 * line). The per-step random generators derive from (seed, step), so nothing else is needed.
 * Written to a sibling folder first and swapped in, so a kill leaves a whole checkpoint.
 */
final class T3Checkpoint {
  static final String STATE = "state.json";
  static final String ACCEPTED = "accepted.txt";

  /** What a checkpoint holds besides the policy. */
  record State(int step, double[] baselines, boolean[] hasBaseline, List<String> accepted) {}

  private T3Checkpoint() {}

  static boolean exists(Path dir) {
    return Files.isRegularFile(dir.resolve(STATE)) || Files.isRegularFile(old(dir).resolve(STATE));
  }

  static void save(Path dir, GptPolicy policy, T3Config config, State state) {
    Path fresh = dir.resolveSibling(dir.getFileName() + ".new");
    try {
      deleteTree(fresh);
      Files.createDirectories(fresh);
      policy.save(fresh);
      ObjectNode n = Json.MAPPER.createObjectNode();
      n.put("step", state.step());
      ArrayNode b = n.putArray("baselines");
      ArrayNode h = n.putArray("has_baseline");
      for (int i = 0; i < state.baselines().length; i++) {
        b.add(state.baselines()[i]);
        h.add(state.hasBaseline()[i]);
      }
      n.set("settings", config.identity());
      Files.write(fresh.resolve(ACCEPTED), state.accepted(), StandardCharsets.UTF_8);
      AtomicFiles.writeBytes(fresh.resolve(STATE), Json.MAPPER.writeValueAsBytes(n));
      deleteTree(old(dir));
      if (Files.exists(dir)) {
        Files.move(dir, old(dir));
      }
      Files.move(fresh, dir);
      deleteTree(old(dir));
    } catch (IOException e) {
      throw new UncheckedIOException(dir + ": cannot write the tuning checkpoint", e);
    }
  }

  /**
   * Restores the policy and returns the rest.
   *
   * @throws ConfigException when the checkpoint was made with other settings
   */
  static State load(Path dir, GptPolicy policy, T3Config config, int labels) {
    Path from = Files.isRegularFile(dir.resolve(STATE)) ? dir : old(dir);
    Path stateFile = from.resolve(STATE);
    try {
      JsonNode n = Json.MAPPER.readTree(stateFile.toFile());
      if (!n.path("settings").toString().equals(config.identity().toString())) {
        throw new ConfigException(stateFile + ": the tuning run there was made with other settings"
            + " (" + n.path("settings") + "); rerun with the same settings (only --steps may change)"
            + " or choose a new output folder");
      }
      double[] baselines = new double[labels];
      boolean[] has = new boolean[labels];
      if (n.path("baselines").size() != labels) {
        throw BadInputException.of(stateFile, "has " + n.path("baselines").size()
            + " label baselines, the task has " + labels + " labels");
      }
      for (int i = 0; i < labels; i++) {
        baselines[i] = n.path("baselines").get(i).asDouble();
        has[i] = n.path("has_baseline").get(i).asBoolean();
      }
      policy.load(from);
      List<String> accepted = new ArrayList<>(Files.readAllLines(from.resolve(ACCEPTED),
          StandardCharsets.UTF_8));
      return new State(n.path("step").asInt(), baselines, has, accepted);
    } catch (IOException e) {
      throw BadInputException.of(stateFile, "cannot read the tuning checkpoint (" + e.getMessage()
          + "); delete the folder to start over", e);
    }
  }

  private static Path old(Path dir) {
    return dir.resolveSibling(dir.getFileName() + ".old");
  }

  private static void deleteTree(Path p) throws IOException {
    if (!Files.exists(p)) {
      return;
    }
    try (Stream<Path> s = Files.walk(p)) {
      for (Path x : s.sorted(Comparator.reverseOrder()).toList()) {
        Files.delete(x);
      }
    }
  }
}
