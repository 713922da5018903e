package io.distillery.cli.pipeline;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.distillery.core.AtomicFiles;
import io.distillery.core.BadInputException;
import io.distillery.core.Json;
import io.distillery.core.Sha256;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A run's {@code out/stages.json}: the config it was made with (and its SHA-256) and one summary
 * per finished stage. Opening it for another config is refused, naming the keys that changed.
 */
final class StageLog {
  private final Path file;
  private final ObjectNode root;

  private StageLog(Path file, ObjectNode root) {
    this.file = file;
    this.root = root;
  }

  /** Opens (or starts) {@code config.out()/stages.json}. */
  static StageLog open(RunConfig config) {
    JsonNode identity = identity(config);
    String fingerprint = fingerprint(identity);
    Path file = config.out().resolve("stages.json");
    ObjectNode root;
    if (Files.isRegularFile(file)) {
      try {
        root = (ObjectNode) Json.MAPPER.readTree(file.toFile());
      } catch (IOException | ClassCastException e) {
        throw BadInputException.of(file, "not a stages file (" + e.getMessage() + ")");
      }
      String found = root.path("config_sha256").asText();
      if (!found.equals(fingerprint) && sameSettings(identity, root.path("config"))) {
        // same settings; only options added to the config format since (all unset) differ
        root.put("config_sha256", fingerprint);
        root.set("config", identity);
      } else if (!found.equals(fingerprint)) {
        List<String> changed = new ArrayList<>();
        identity.fieldNames().forEachRemaining(k -> {
          if (!identity.get(k).toString().equals(String.valueOf(root.path("config").get(k)))) {
            changed.add(k + " (was " + root.path("config").get(k) + ", now " + identity.get(k) + ")");
          }
        });
        throw BadInputException.of(file, "this out folder was made with another config (changed: "
            + changed + "); use a new 'out' or delete the folder");
      }
    } else {
      root = Json.MAPPER.createObjectNode().put("config_sha256", fingerprint);
      root.set("config", identity);
      root.putObject("stages");
    }
    StageLog log = new StageLog(file, root);
    log.save();
    return log;
  }

  /** Equal once unset options are dropped and numbers are read back alike (1 as int or long). */
  static boolean sameSettings(JsonNode a, JsonNode b) {
    try {
      return Json.MAPPER.readTree(withoutNulls(a).toString())
          .equals(Json.MAPPER.readTree(withoutNulls(b).toString()));
    } catch (IOException e) {
      throw new IllegalStateException("a tree always reads back", e);
    }
  }

  /** A copy without null-valued fields, at any depth: an unset option equals an absent one. */
  static JsonNode withoutNulls(JsonNode node) {
    if (node.isObject()) {
      ObjectNode out = Json.MAPPER.createObjectNode();
      node.fields().forEachRemaining(e -> {
        if (!e.getValue().isNull()) {
          out.set(e.getKey(), withoutNulls(e.getValue()));
        }
      });
      return out;
    }
    if (node.isArray()) {
      com.fasterxml.jackson.databind.node.ArrayNode out = Json.MAPPER.createArrayNode();
      node.forEach(v -> out.add(withoutNulls(v)));
      return out;
    }
    return node;
  }

  boolean done(Pipeline.Stage s) {
    return root.path("stages").has(s.name());
  }

  JsonNode get(Pipeline.Stage s) {
    return root.path("stages").path(s.name());
  }

  void finish(Pipeline.Stage s, JsonNode summary) {
    ((ObjectNode) root.get("stages")).set(s.name(), summary);
    save();
  }

  private void save() {
    try {
      AtomicFiles.writeString(file, Json.MAPPER.writeValueAsString(root) + "\n");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The config as JSON without per-invocation settings: what a run's outputs depend on. */
  private static JsonNode identity(RunConfig c) {
    return Json.LINE_MAPPER.valueToTree(new RunConfig(c.task(), c.teacher(), c.source(), c.out(),
        c.prompts(), c.generatorTuning(), c.seed(), c.synth().identity(), c.student(), c.distill(), c.dev(), c.bench()));
  }

  private static String fingerprint(JsonNode identity) {
    try {
      return Sha256.of(Json.LINE_MAPPER.writeValueAsString(identity).getBytes(StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }
}
