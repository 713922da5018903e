package io.distillery.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.distillery.core.Json;
import io.distillery.export.check.OnnxChecker;
import io.distillery.synth.corpus.CorpusReader;
import io.distillery.synth.corpus.Manifest;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code distillery synth} then {@code distillery distill} on their own, in-process, on a tiny
 * MiniLM-based teacher and a raw corpus of committed sentiment train sentences; and their
 * one-line, exit-2 answers to bad input.
 */
class SynthDistillCommandsTest {
  @TempDir static Path dir;
  static Path teacher;
  static Path raw;
  static Path dev;

  @BeforeAll
  static void setUp() throws IOException {
    teacher = TinyClassifier.create(dir);
    Path data = Path.of(System.getProperty("distillery.root", "..")).resolve("models/data/sentiment");
    raw = dir.resolve("raw.jsonl");
    dev = dir.resolve("dev.jsonl");
    try (Stream<String> lines = Files.lines(data.resolve("train.jsonl"))) {
      Files.write(raw, lines.limit(200).toList());
    }
    try (Stream<String> lines = Files.lines(data.resolve("dev.jsonl"))) {
      Files.write(dev, lines.limit(24).toList());
    }
  }

  private static CliRun synth(Path out, String... more) {
    List<String> args = new java.util.ArrayList<>(List.of("synth", "--teacher", teacher.toString(),
        "--out", out.toString(), "--corpus", raw.toString(), "--unit", "line",
        "--description", "Is a review sentence negative or positive?", "--samples", "60",
        "--shard-size", "30", "--batch-size", "16", "--seed", "3"));
    args.addAll(List.of(more));
    return CliRun.of(args.toArray(String[]::new));
  }

  @Test
  void synthThenDistillWriteACorpusAndAStudentFolder() throws Exception {
    Path corpus = dir.resolve("corpus");
    CliRun s = synth(corpus, "--json");
    assertEquals(0, s.exitCode(), s.err());
    JsonNode summary = Json.MAPPER.readTree(s.out());
    assertEquals(60, summary.get("samples").asLong());
    assertEquals(2, summary.get("shards").asInt());
    assertTrue(summary.get("complete").asBoolean());
    assertTrue(summary.get("candidates").asLong() >= 60, s.out());
    assertEquals(60, summary.get("labelDistribution").get("negative").asLong()
        + summary.get("labelDistribution").get("positive").asLong(), s.out());

    // labels came from the teacher's id2label; every shard checks out
    Manifest m = CorpusReader.verify(corpus);
    assertEquals(List.of("negative", "positive"), m.task().labels());
    assertEquals(60, m.samples());
    assertEquals(2, m.shards().size());
    assertTrue(m.complete());

    // a rerun finds the corpus complete and writes nothing
    CliRun again = synth(corpus);
    assertEquals(0, again.exitCode(), again.err());
    assertTrue(again.out().contains("60 of 60 samples in 2 shards (complete)"), again.out());
    assertTrue(again.out().contains("this run  0 shards"), again.out());

    Path student = dir.resolve("student");
    CliRun d = CliRun.of("distill", "--corpus", corpus.toString(), "--teacher", teacher.toString(),
        "--out", student.toString(), "--dev", dev.toString(), "--seed", "3", "--threads", "1",
        "--epochs", "1", "--batch-size", "16", "--layers", "1", "--width", "32", "--heads", "2",
        "--ffn-width", "64", "--embedding-dim", "16", "--json");
    assertEquals(0, d.exitCode(), d.err());
    JsonNode ds = Json.MAPPER.readTree(d.out());
    assertEquals(4, ds.get("steps").asInt(), "60 samples, batch 16, 1 epoch");
    assertEquals(60, ds.get("corpusSamples").asLong());
    assertTrue(ds.get("trainSeconds").isNumber() && ds.get("trainSeconds").asDouble() > 0, d.out());
    assertTrue(ds.get("tokensPerSecond").asDouble() > 0, d.out());
    double acc = ds.get("bestDevAccuracy").asDouble();
    assertTrue(ds.get("bestDevAccuracy").isNumber() && acc >= 0 && acc <= 1, d.out());

    for (String f : List.of("model.onnx", "tokenizer.json", "config.json", "README.md")) {
      assertTrue(Files.isRegularFile(student.resolve(f)), f);
    }
    JsonNode config = Json.MAPPER.readTree(student.resolve("config.json").toFile());
    assertEquals("negative", config.at("/id2label/0").asText());
    assertEquals("positive", config.at("/id2label/1").asText());
    assertEquals(1, config.get("num_hidden_layers").asInt());
    assertTrue(Files.readString(student.resolve("README.md")).contains("60 synthetic samples"));
    assertTrue(Files.isDirectory(dir.resolve("student.distill-work")), "checkpoints beside the student");
    try (Stream<Path> files = Files.list(student)) {
      assertEquals(4, files.count(), "the student folder holds only the four files");
    }
    if (OnnxChecker.isAvailable()) {
      OnnxChecker.check(student.resolve("model.onnx"));
    }

    // the exported student is a working classifier folder
    CliRun eval = CliRun.of("eval", "--model", student.toString(), "--data", dev.toString(), "--json");
    assertEquals(0, eval.exitCode(), eval.err());
    double evalAccuracy = Json.MAPPER.readTree(eval.out()).at("/report/accuracy").asDouble(-1);
    assertTrue(evalAccuracy >= 0 && evalAccuracy <= 1, eval.out());

    // the help says where the checkpoints go
    CliRun help = CliRun.of("distill", "--help");
    assertEquals(0, help.exitCode(), help.err());
    assertTrue(help.out().contains("OUT.distill-work"), help.out());
  }

  @Test
  void badInputIsAOneLineErrorWithExitTwo() throws Exception {
    // labels that are not the teacher's: names the teacher's config.json and both lists
    CliRun labels = synth(dir.resolve("bad-labels"), "--labels", "ham,spam");
    assertEquals(2, labels.exitCode(), labels.err());
    String line = labels.errorLine();
    assertTrue(line.contains(teacher.resolve("config.json").toString())
        && line.contains("[negative, positive]") && line.contains("[ham, spam]"), line);
    assertFalse(Files.exists(dir.resolve("bad-labels/manifest.json")));

    // a corpus folder without a manifest
    Path empty = Files.createDirectories(dir.resolve("no-corpus"));
    CliRun noManifest = CliRun.of("distill", "--corpus", empty.toString(), "--teacher",
        teacher.toString(), "--out", dir.resolve("s2").toString());
    assertEquals(2, noManifest.exitCode(), noManifest.err());
    assertTrue(noManifest.errorLine().contains(empty.resolve("manifest.json").toString())
        && noManifest.errorLine().contains("not found"), noManifest.errorLine());

    // a missing teacher folder
    Path nowhere = dir.resolve("no-teacher");
    CliRun noTeacher = CliRun.of("synth", "--teacher", nowhere.toString(), "--out",
        dir.resolve("c3").toString(), "--corpus", raw.toString(), "--description", "x y");
    assertEquals(2, noTeacher.exitCode(), noTeacher.err());
    assertTrue(noTeacher.errorLine().contains(nowhere.toString()), noTeacher.errorLine());

    // option values out of range, and two sources at once
    CliRun zero = synth(dir.resolve("c4"), "--samples", "0");
    assertEquals(2, zero.exitCode(), zero.err());
    assertTrue(zero.errorLine().contains("--samples") && zero.errorLine().contains(">= 1")
        && zero.errorLine().contains("found 0"), zero.errorLine());
    CliRun both = synth(dir.resolve("c5"), "--generator", dir.toString());
    assertEquals(2, both.exitCode(), both.err());
    assertTrue(both.errorLine().contains("--generator") && both.errorLine().contains("--corpus"),
        both.errorLine());
    CliRun alpha = CliRun.of("distill", "--corpus", empty.toString(), "--teacher",
        teacher.toString(), "--out", dir.resolve("s6").toString(), "--alpha", "1.5");
    assertEquals(2, alpha.exitCode(), alpha.err());
    assertTrue(alpha.errorLine().contains("--alpha") && alpha.errorLine().contains("1.5"),
        alpha.errorLine());
  }
}
