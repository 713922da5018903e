package io.distillery.cli.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.distillery.core.BadInputException;
import io.distillery.core.Json;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** stages.json: a config with the same settings reopens it, another config is refused. */
class StageLogTest {
  private static RunConfig config(Path dir, String synth) throws Exception {
    Path file = dir.resolve("run.yaml");
    Files.writeString(file, "task: {labels: [neg, pos], description: \"d\"}\n"
        + "teacher: " + dir.resolve("teacher") + "\n"
        + "source: {kind: raw_corpus, corpus: " + dir.resolve("c.jsonl") + "}\n"
        + "out: " + dir.resolve("out") + "\nseed: 1\nsynth: " + synth + "\n");
    return RunConfigLoader.load(file);
  }

  @Test
  void anOptionAddedLaterAndUnsetStillMatchesAnOldFolder(@TempDir Path dir) throws Exception {
    RunConfig c = config(dir, "{samples: 10}");
    StageLog.open(c).finish(Pipeline.Stage.synth, Json.MAPPER.createObjectNode().put("samples", 10));
    // an older format: the stored config lacks an option this version adds (unset, so null now)
    Path file = dir.resolve("out/stages.json");
    ObjectNode root = (ObjectNode) Json.MAPPER.readTree(file.toFile());
    ((ObjectNode) root.get("config").get("synth")).remove("maxChars");
    root.put("config_sha256", "fingerprint-of-the-older-format");
    Files.writeString(file, root.toString());

    StageLog reopened = StageLog.open(c);
    assertTrue(reopened.done(Pipeline.Stage.synth), "the finished stage is kept");
    assertEquals(10, reopened.get(Pipeline.Stage.synth).path("samples").asInt());

    BadInputException e = assertThrows(BadInputException.class,
        () -> StageLog.open(config(dir, "{samples: 20}")));
    assertTrue(e.getMessage().contains("stages.json") && e.getMessage().contains("synth"),
        e.getMessage());
  }
}
