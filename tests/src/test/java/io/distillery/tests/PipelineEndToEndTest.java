package io.distillery.tests;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.distillery.core.Json;
import io.distillery.core.JsonlReader;
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
 * The whole chain through {@code distillery run} on small real models: a MiniLM-based teacher,
 * the raw-corpus source, a tiny student. Checks the corpus checksums, that a synth interrupted
 * after one shard and resumed writes the same bytes as an uninterrupted one, the exported
 * student, and the bench report.
 */
class PipelineEndToEndTest {
  @TempDir static Path dir;
  static Path teacher;
  static Path corpusText;

  @BeforeAll
  static void setUp() throws IOException {
    teacher = TinyClassifier.create(dir);
    // raw text: the committed sentiment TRAIN sentences (never the test split)
    corpusText = dir.resolve("raw.jsonl");
    Path train = Path.of(System.getProperty("distillery.root", "..")).resolve("models/data/sentiment/train.jsonl");
    try (Stream<String> lines = Files.lines(train)) {
      Files.write(corpusText, lines.limit(400).toList());
    }
  }

  private static Path config(String name, Integer maxShards) throws IOException {
    ObjectNode c = Json.MAPPER.createObjectNode();
    c.putObject("task").put("description", "Is a review sentence negative or positive?")
        .putArray("labels").add("negative").add("positive");
    c.put("teacher", teacher.toString());
    c.putObject("source").put("kind", "raw_corpus").put("corpus", corpusText.toString());
    c.put("out", dir.resolve(name).toString());
    c.put("seed", 5);
    ObjectNode synth = c.putObject("synth").put("samples", 120).put("shard_size", 40).put("batch_size", 16);
    if (maxShards != null) {
      synth.put("max_shards", maxShards);
    }
    c.putObject("student").put("layers", 1).put("width", 32).put("heads", 2).put("ffn_width", 64)
        .put("embedding_dim", 16);
    c.putObject("distill").put("epochs", 2).put("batch_size", 16);
    c.putObject("bench").put("latency_runs", 20).put("threads", 1).putArray("variants")
        .add("fused-int8");
    Path file = dir.resolve(name + ".json");
    Files.writeString(file, Json.MAPPER.writeValueAsString(c));
    return file;
  }

  @Test
  void runsTheChainAndResumesSynthToTheSameBytes() throws Exception {
    CliRun full = CliRun.of("run", config("full", null).toString());
    assertEquals(0, full.exitCode(), full.err());
    assertTrue(full.out().contains("| student |"), full.out());

    Path corpus = dir.resolve("full/corpus");
    Manifest m = CorpusReader.verify(corpus);
    long n = 0;
    try (CorpusReader r = CorpusReader.open(corpus)) {
      while (r.hasNext()) {
        assertEquals(n, r.next().id(), "consecutive sample ids");
        n++;
      }
    }
    assertEquals(120, n);

    // interrupted after one shard, then resumed: byte-identical shards
    CliRun first = CliRun.of("run", config("resumed", 1).toString());
    assertEquals(0, first.exitCode(), first.err());
    assertTrue(first.out().contains("stopped early"), first.out());
    CliRun second = CliRun.of("run", config("resumed", null).toString());
    assertEquals(0, second.exitCode(), second.err());
    for (int shard = 0; shard < 3; shard++) {
      String name = Manifest.shardFileName(shard);
      assertArrayEquals(Files.readAllBytes(corpus.resolve(name)),
          Files.readAllBytes(dir.resolve("resumed/corpus").resolve(name)), name);
    }

    // the exported student: a classifier folder that passes the ONNX checker and runs
    Path student = dir.resolve("full/student");
    for (String f : List.of("model.onnx", "tokenizer.json", "config.json", "README.md")) {
      assertTrue(Files.isRegularFile(student.resolve(f)), f);
    }
    OnnxChecker.check(student.resolve("model.onnx"));
    Path texts = dir.resolve("texts.jsonl");
    Files.writeString(texts, "{\"text\":\"great film\"}\n{\"text\":\"awful food, never again\"}\n");
    CliRun label = CliRun.of("label", "--model", student.toString(), "--in", texts.toString(),
        "--out", dir.resolve("student-labels.jsonl").toString());
    assertEquals(0, label.exitCode(), label.err());
    assertEquals(2, JsonlReader.readAll(dir.resolve("student-labels.jsonl")).size());

    // the bench report: files exist and hold numbers
    Path bench = dir.resolve("full/bench");
    assertTrue(Files.size(bench.resolve("report.png")) > 1000);
    assertTrue(Files.readString(bench.resolve("report.md")).contains("| teacher |"));
    JsonNode report = Json.MAPPER.readTree(bench.resolve("report.json").toFile());
    for (JsonNode model : report.get("models")) {
      assertTrue(model.get("p50Ms").asDouble() > 0, model.toString());
      assertTrue(model.get("p50ColdMs").asDouble() > 0, model.toString());
      assertTrue(model.get("batchTextsPerSec").asDouble() > 0, model.toString());
      assertTrue(model.get("parameters").asLong() > 0, model.toString());
    }
    assertTrue(report.get("sizeRatio").asDouble() > 1, "the student is smaller: " + report);
    assertEquals("student fused int8", report.at("/models/2/role").asText(),
        "bench.variants: the fused int8 export measured in the same turns");
    assertTrue(Files.isRegularFile(dir.resolve("full/student-fused-int8/model.onnx")));

    // a rerun of a finished run skips every stage: nothing is rewritten
    var before = Files.getLastModifiedTime(student.resolve("model.onnx"));
    var benchBefore = Files.getLastModifiedTime(bench.resolve("report.json"));
    CliRun again = CliRun.of("run", config("full", null).toString());
    assertEquals(0, again.exitCode(), again.err());
    assertTrue(again.out().contains("| student |"), again.out());
    assertEquals(before, Files.getLastModifiedTime(student.resolve("model.onnx")));
    assertEquals(benchBefore, Files.getLastModifiedTime(bench.resolve("report.json")));
  }

  @Test
  void aBadConfigIsAOneLineErrorWithExitTwo() throws Exception {
    Path bad = dir.resolve("bad.yaml");
    Files.writeString(bad, "task: {labels: [a, b], description: x}\nteacher: t\nsource: {kind: generator}\nout: o\n");
    CliRun r = CliRun.of("run", bad.toString());
    assertEquals(2, r.exitCode(), r.err());
    assertTrue(r.errorLine().contains("bad.yaml") && r.errorLine().contains("source.generator"), r.errorLine());
    Path unknown = dir.resolve("unknown.yaml");
    Files.writeString(unknown, "task: {labels: [a, b], description: x}\nteacher: t\nsource: {kind: raw_corpus, corpus: c}\nout: o\nsed: 1\n");
    CliRun u = CliRun.of("run", unknown.toString());
    assertEquals(2, u.exitCode(), u.err());
    assertTrue(u.errorLine().contains("unknown key 'sed'"), u.errorLine());
    String head = "task: {labels: [a, b], description: x}\nteacher: t\nsource: {kind: generator, generator: g}\nout: o\n";
    Path kind = dir.resolve("kind.yaml");
    Files.writeString(kind, head + "prompts: {kind: magic}\n");
    CliRun k = CliRun.of("run", kind.toString());
    assertEquals(2, k.exitCode(), k.err());
    assertTrue(k.errorLine().contains("kind.yaml") && k.errorLine().contains("magic")
        && k.errorLine().contains("categorical"), k.errorLine());
    Path steps = dir.resolve("steps.yaml");
    Files.writeString(steps, head + "prompts: {kind: categorical, probe_steps: -3}\n");
    CliRun st = CliRun.of("run", steps.toString());
    assertEquals(2, st.exitCode(), st.err());
    assertTrue(st.errorLine().contains("steps.yaml") && st.errorLine().contains("prompts.probe_steps"),
        st.errorLine());
    Path floor = dir.resolve("floor.yaml");
    Files.writeString(floor, head + "prompts: {kind: categorical, entropy_floor: 1.5}\n");
    CliRun fl = CliRun.of("run", floor.toString());
    assertEquals(2, fl.exitCode(), fl.err());
    assertTrue(fl.errorLine().contains("entropy_floor"), fl.errorLine());
    Path mix = dir.resolve("mix.yaml");
    Files.writeString(mix, "task: {labels: [a, b], description: x}\nteacher: t\nsource: {kind: generator,"
        + " generator: g, mix: {corpus: c, select: student_guided}}\nout: o\n");
    CliRun m = CliRun.of("run", mix.toString());
    assertEquals(2, m.exitCode(), m.err());
    assertTrue(m.errorLine().contains("mix.yaml") && m.errorLine().contains("source.mix.select"),
        m.errorLine());
  }
}
