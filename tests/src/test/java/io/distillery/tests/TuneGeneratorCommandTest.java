package io.distillery.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.distillery.core.Json;
import io.distillery.runtime.testing.TinyLmFolder;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code distillery tune-generator} in-process: a tiny generator, the tiny teacher, 2 steps. */
class TuneGeneratorCommandTest {
  @TempDir static Path dir;
  static Path teacher;
  static Path generator;
  static Path corpus;

  @BeforeAll
  static void setUp() throws IOException {
    teacher = TinyClassifier.create(dir);
    generator = TinyLmFolder.write(dir.resolve("gen"), 128, 3);
    Path data = Path.of(System.getProperty("distillery.root", "..")).resolve("models/data/sentiment");
    corpus = dir.resolve("general.jsonl");
    try (Stream<String> lines = Files.lines(data.resolve("train.jsonl"))) {
      Files.write(corpus, lines.limit(50).toList());
    }
  }

  private static CliRun tune(Path out, String... more) {
    List<String> args = new ArrayList<>(List.of("tune-generator", "--generator",
        generator.toString(), "--teacher", teacher.toString(), "--corpus", corpus.toString(),
        "--out", out.toString(), "--description",
        "Is a review sentence negative or positive?", "--batch-size", "4", "--max-new-tokens",
        "12", "--seed", "5"));
    args.addAll(List.of(more));
    return CliRun.of(args.toArray(String[]::new));
  }

  @Test
  void writesATunedGeneratorFolderWithItsRewardCurve() throws Exception {
    Path out = dir.resolve("tuned");
    CliRun r = tune(out, "--steps", "2", "--labels", "negative,positive", "--json");
    assertEquals(0, r.exitCode(), r.err());
    JsonNode result = Json.MAPPER.readTree(r.out());
    assertTrue(result.get("complete").asBoolean(), r.out());
    assertEquals(2, result.get("endStep").asInt());
    for (String f : new String[] {"model.onnx", "tokenizer.json", "config.json", "recipe.json",
        "tuning.jsonl"}) {
      assertTrue(Files.isRegularFile(out.resolve(f)), f);
    }
    assertEquals(2, Json.MAPPER.readTree(out.resolve("recipe.json").toFile())
        .get("rewardCurve").size());
    assertEquals(2, Files.readAllLines(out.resolve("tuning.jsonl")).size());
  }

  @Test
  void badOptionsAreOneLineErrorsWithExitTwo() {
    CliRun negative = tune(dir.resolve("neg"), "--steps", "-1");
    assertEquals(2, negative.exitCode(), negative.err());
    assertTrue(negative.errorLine().contains("steps") && negative.errorLine().contains("-1"),
        negative.errorLine());
    CliRun batch = tune(dir.resolve("b0"), "--batch-size", "0");
    assertEquals(2, batch.exitCode(), batch.err());
    CliRun labels = tune(dir.resolve("lab"), "--labels", "ham,spam");
    assertEquals(2, labels.exitCode(), labels.err());
    assertTrue(labels.errorLine().contains("[ham, spam]"), labels.errorLine());
    assertFalse(Files.exists(dir.resolve("lab/model.onnx")));
  }
}
