package io.distillery.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.distillery.core.Json;
import io.distillery.core.JsonlReader;
import io.distillery.core.Sha256;
import io.distillery.synth.corpus.CorpusReader;
import io.distillery.synth.corpus.Manifest;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Malformed run configs, model JSON files, corpus shards and texts, driven through the CLI. Every
 * refusal is exit code 2 and one line naming the file and the field (or line); hostile texts are
 * processed or skipped with a count, never a crash.
 */
class HostileInputsTest {
  @TempDir static Path dir;
  static Path teacher;
  static Path corpus;

  @BeforeAll
  static void setUp() throws IOException {
    teacher = TinyClassifier.create(dir);
    Path raw = dir.resolve("raw.jsonl");
    Path train = Path.of(System.getProperty("distillery.root", "..")).resolve("models/data/sentiment/train.jsonl");
    try (Stream<String> lines = Files.lines(train)) {
      Files.write(raw, lines.limit(200).toList());
    }
    corpus = dir.resolve("corpus");
    CliRun r = CliRun.of("synth", "--teacher", teacher.toString(), "--out", corpus.toString(),
        "--corpus", raw.toString(), "--description", "Is a review negative or positive?",
        "--samples", "40", "--shard-size", "20", "--seed", "3");
    assertEquals(0, r.exitCode(), r.err());
  }

  /** Exit 2 and exactly one stderr line, "error: FILE: ..." holding every fragment. */
  static void refused(CliRun r, Path file, String... fragments) {
    assertEquals(2, r.exitCode(), r.err() + r.out());
    List<String> lines = r.err().lines().filter(l -> !l.isBlank() && !l.startsWith("[")).toList();
    assertEquals(1, lines.size(), "one line: " + r.err());
    String line = lines.get(0);
    assertTrue(line.startsWith("error: ") && line.contains(file.toString()), line);
    for (String f : fragments) {
      assertTrue(line.contains(f), "'" + f + "' in: " + line);
    }
  }

  // ---------------------------------------------------------------- run configs

  private static final String GOOD = "task: {labels: [a, b], description: x}\nteacher: t\n"
      + "source: {kind: raw_corpus, corpus: c}\nout: o\n";

  private static CliRun run(String name, String text) throws IOException {
    Path f = dir.resolve(name);
    Files.writeString(f, text);
    return CliRun.of("run", f.toString());
  }

  @Test
  void runConfigSyntaxErrorsSayWhichParserAndWhere() throws IOException {
    refused(run("syntax.yaml", "task: {labels: [a, b}\nteacher: x\n"), dir.resolve("syntax.yaml"),
        "not valid YAML", "YAML parser", "line");
    refused(run("syntax.json", "{\"task\": }"), dir.resolve("syntax.json"),
        "not valid JSON", "JSON parser", "line 1");
    refused(run("syntax.conf", "@task: [1\n"), dir.resolve("syntax.conf"),
        "neither JSON nor YAML", "JSON parser", "YAML parser");
    refused(run("list.yaml", "- a\n- b\n"), dir.resolve("list.yaml"), "expected a mapping of keys");
    refused(run("empty.yaml", ""), dir.resolve("empty.yaml"), "task");
    refused(run("trailing.json", "{\"task\": {\"labels\": [\"a\", \"b\"], \"description\": \"x\"}, "
        + "\"teacher\": \"t\", \"source\": {\"kind\": \"raw_corpus\", \"corpus\": \"c\"}, \"out\": \"o\"}"
        + " {\"seed\": 2}"), dir.resolve("trailing.json"), "more than one JSON document");
  }

  @Test
  void runConfigWrongTypesMissingAndUnknownKeysNameTheKey() throws IOException {
    refused(run("type.yaml", GOOD + "seed: abc\n"), dir.resolve("type.yaml"),
        "seed: expected an integer, found \"abc\"");
    refused(run("type2.yaml", GOOD + "synth: {samples: [1, 2]}\n"), dir.resolve("type2.yaml"),
        "synth.samples: expected an integer");
    refused(run("type3.yaml", GOOD + "synth: 5\n"), dir.resolve("type3.yaml"), "synth: expected a mapping");
    refused(run("type4.yaml", GOOD.replace("labels: [a, b]", "labels: 7")), dir.resolve("type4.yaml"),
        "task.labels: expected a list");
    refused(run("missing.yaml", GOOD.replace("teacher: t\n", "")), dir.resolve("missing.yaml"), "teacher");
    refused(run("typo.yaml", GOOD + "sed: 1\n"), dir.resolve("typo.yaml"),
        "unknown key 'sed'", "did you mean 'seed'?");
    refused(run("typo2.yaml", GOOD + "synth: {sample: 10}\n"), dir.resolve("typo2.yaml"),
        "unknown key 'sample' at synth", "did you mean 'samples'?");
    refused(run("kind.yaml", GOOD.replace("raw_corpus", "magic")), dir.resolve("kind.yaml"),
        "source.kind: expected one of [generator, raw_corpus], found \"magic\"");
  }

  @Test
  void absurdValuesAreRefusedBeforeAnyWork() throws IOException {
    Map<String, String> cases = Map.of(
        "synth: {samples: 0}", "synth.samples",
        "synth: {batch_size: -4}", "synth.batch_size",
        "synth: {temperature: -0.5}", "synth.temperature",
        "synth: {top_p: 1.5}", "synth.top_p",
        "distill: {batch_size: -1}", "distill.batch_size",
        "distill: {epochs: 0}", "distill.epochs",
        "student: {layers: 0}", "student.layers",
        "bench: {latency_runs: 5}", "bench.latency_runs",
        "bench: {variants: [int4]}", "bench.variants");
    int i = 0;
    for (var e : cases.entrySet()) {
      String name = "absurd" + i++ + ".yaml";
      refused(run(name, GOOD + e.getKey() + "\n"), dir.resolve(name), e.getValue());
    }
  }

  // ---------------------------------------------------------------- model JSON files

  private static Path modelWith(String name, String file, String text) throws IOException {
    Path f = dir.resolve(name);
    Files.createDirectories(f);
    for (String part : List.of("model.onnx", "tokenizer.json", "config.json")) {
      Files.copy(teacher.resolve(part), f.resolve(part));
    }
    Files.writeString(f.resolve(file), text);
    return f;
  }

  private static CliRun label(Path model) throws IOException {
    Path in = dir.resolve("one.jsonl");
    Files.writeString(in, "{\"text\":\"fine\"}\n");
    return CliRun.of("label", "--model", model.toString(), "--in", in.toString(), "--out",
        model.resolve("out.jsonl").toString());
  }

  @Test
  void malformedTokenizerAndConfigJsonAreRefused() throws IOException {
    Path m = modelWith("tok-syntax", "tokenizer.json", "{\"model\": ");
    refused(label(m), m.resolve("tokenizer.json"), "not JSON", "line 1");
    m = modelWith("tok-nomodel", "tokenizer.json", "{\"version\": \"1.0\"}");
    refused(label(m), m.resolve("tokenizer.json"), "\"model\"");
    m = modelWith("tok-type", "tokenizer.json", "{\"version\": \"1.0\", \"model\": 5}");
    refused(label(m), m.resolve("tokenizer.json"), "tokenizer");
    m = modelWith("tok-array", "tokenizer.json", "[1, 2]");
    refused(label(m), m.resolve("tokenizer.json"), "JSON object");
    m = modelWith("cfg-syntax", "config.json", "{\"id2label\": {\"0\": \"a\",}");
    refused(label(m), m.resolve("config.json"), "not JSON");
    m = modelWith("cfg-type", "config.json", "{\"id2label\": [\"negative\", \"positive\"]}");
    refused(label(m), m.resolve("config.json"), "id2label");
    m = modelWith("cfg-count", "config.json", "{\"id2label\": {\"0\": \"a\", \"1\": \"b\", \"2\": \"c\"}}");
    refused(label(m), m.resolve("config.json"), "id2label");
    m = modelWith("cfg-value", "config.json", "{\"id2label\": {\"0\": 5, \"1\": {}}}");
    refused(label(m), m.resolve("config.json"), "id2label");
  }

  private static Path generatorWith(String name, String file, String text) throws IOException {
    Path gen = Path.of(System.getProperty("distillery.root", "..")).resolve("models/generator");
    Path f = dir.resolve(name);
    Files.createDirectories(f);
    for (String part : List.of("model.onnx", "tokenizer.json", "config.json", "generation_config.json")) {
      Files.copy(gen.resolve(part), f.resolve(part));
    }
    Files.writeString(f.resolve(file), text);
    return f;
  }

  private static CliRun generate(Path model) {
    return CliRun.of("generate", "--model", model.toString(), "--prompt", "A review:", "--n", "1",
        "--max-new-tokens", "2");
  }

  @Test
  void malformedGenerationConfigAndConfigAreRefused() throws IOException {
    Path g = generatorWith("gen-syntax", "generation_config.json", "{\"eos_token_id\": 0,,}");
    refused(generate(g), g.resolve("generation_config.json"), "not JSON");
    g = generatorWith("gen-type", "generation_config.json", "{\"eos_token_id\": \"fifty\"}");
    refused(generate(g), g.resolve("generation_config.json"), "eos_token_id: expected a token id");
    g = generatorWith("gen-negative", "generation_config.json", "{\"eos_token_id\": -3}");
    refused(generate(g), g.resolve("generation_config.json"), "eos_token_id");
    g = generatorWith("gen-ctx", "config.json", "{\"n_positions\": -5}");
    refused(generate(g), g.resolve("config.json"), "n_positions: expected a positive integer");
    // Hugging Face allows a list of end ids: accepted
    g = generatorWith("gen-list", "generation_config.json", "{\"eos_token_id\": [0, 1]}");
    assertEquals(0, generate(g).exitCode());
  }

  // ---------------------------------------------------------------- corpus shards

  private static Path corpusCopy(String name) throws IOException {
    Path c = dir.resolve(name);
    Files.createDirectories(c);
    try (Stream<Path> s = Files.list(corpus)) {
      for (Path p : s.toList()) {
        Files.copy(p, c.resolve(p.getFileName()));
      }
    }
    return c;
  }

  private static CliRun distill(Path c) {
    return CliRun.of("distill", "--corpus", c.toString(), "--teacher", teacher.toString(),
        "--out", dir.resolve(c.getFileName() + "-student").toString(), "--epochs", "1",
        "--layers", "1", "--width", "16", "--heads", "1", "--ffn-width", "16", "--embedding-dim", "8",
        "--threads", "1");
  }

  @Test
  void damagedCorporaAreRefusedNamingTheShardOrField() throws IOException {
    String shard = Manifest.shardFileName(1);
    Path c = corpusCopy("c-flip");
    byte[] b = Files.readAllBytes(c.resolve(shard));
    b[b.length / 2] ^= 0x20;
    Files.write(c.resolve(shard), b);
    refused(distill(c), c.resolve(shard), "checksum mismatch");

    // a corrupted line whose checksum was "fixed" in the manifest: the reader names the line
    Path cl = corpusCopy("c-line");
    List<String> lines = Files.readAllLines(cl.resolve(shard));
    lines.set(3, lines.get(3).substring(0, 25));
    Files.write(cl.resolve(shard), lines);
    rewriteManifest(cl, m -> ((ObjectNode) m.get("shards").get(1)).put("sha256", Sha256.of(cl.resolve(shard))));
    refused(distill(cl), cl.resolve(shard), "line 4", "not valid JSON");

    c = corpusCopy("c-missing");
    Files.delete(c.resolve(shard));
    refused(distill(c), c.resolve(shard), "missing; the manifest lists it");

    c = corpusCopy("c-newer");
    rewriteManifest(c, m -> m.put("format_version", 99));
    refused(distill(c), c.resolve(Manifest.FILE), "format_version 99 is newer");

    c = corpusCopy("c-version-type");
    rewriteManifest(c, m -> m.put("format_version", "one"));
    refused(distill(c), c.resolve(Manifest.FILE), "format_version: expected an integer");

    c = corpusCopy("c-count");
    rewriteManifest(c, m -> ((ObjectNode) m.get("shards").get(0)).put("count", 7));
    refused(distill(c), c.resolve(Manifest.FILE), "shard entry 0");

    c = corpusCopy("c-notjson");
    Files.writeString(c.resolve(Manifest.FILE), "{\"format\": \"distillery-corpus\",");
    refused(distill(c), c.resolve(Manifest.FILE), "not valid JSON");
  }

  @Test
  void aManifestWithoutFormatVersionStillReadsAndAnUnlistedShardIsIgnored() throws IOException {
    Path c = corpusCopy("c-v0");
    rewriteManifest(c, m -> m.remove("format_version"));
    // an interrupted run's leftover: a shard file the manifest does not list
    Files.copy(c.resolve(Manifest.shardFileName(1)), c.resolve(Manifest.shardFileName(2)));
    Manifest m = CorpusReader.verify(c);
    assertEquals(40, m.samples());
    long n = 0;
    try (CorpusReader r = CorpusReader.open(c)) {
      while (r.hasNext()) {
        assertEquals(n++, r.next().id());
      }
    }
    assertEquals(40, n);
  }

  private interface Edit {
    void apply(ObjectNode manifest);
  }

  private static void rewriteManifest(Path c, Edit edit) throws IOException {
    ObjectNode m = (ObjectNode) Json.MAPPER.readTree(c.resolve(Manifest.FILE).toFile());
    edit.apply(m);
    Files.writeString(c.resolve(Manifest.FILE), Json.MAPPER.writeValueAsString(m));
  }

  // ---------------------------------------------------------------- texts

  static final List<String> HOSTILE_TEXTS = List.of(
      "", "   \t  ", "word ".repeat(200_000), "bell\u0007 null\u0000 escape\u001b[31m red",
      "مرحبا بالعالم، هذا فيلم رائع", "שלום עולם", "e\u0301\u0301\u0301\u0301 zalgo t\u0336e\u0336x\u0336t",
      "\u202Eevil right-to-left override\u202C", "emoji \uD83D\uDE00 ok", "lone surrogate \uD800 here",
      "\uFEFFbyte order mark", "a\u2028line\u2029separator");

  @Test
  void hostileTextsAreLabelledNeverACrash() throws IOException {
    Path in = dir.resolve("hostile.jsonl");
    StringBuilder sb = new StringBuilder();
    for (String t : HOSTILE_TEXTS) {
      ObjectNode o = Json.MAPPER.createObjectNode().put("text", t);
      // a lone surrogate cannot be written as UTF-8: JSON carries it as an escape
      sb.append(Json.LINE_MAPPER.writeValueAsString(o).replace("\uD800", "\\ud800")).append('\n');
    }
    Files.writeString(in, sb.toString());
    Path out = dir.resolve("hostile-labels.jsonl");
    CliRun r = CliRun.of("label", "--model", teacher.toString(), "--in", in.toString(), "--out", out.toString());
    assertEquals(0, r.exitCode(), r.err());
    List<JsonlReader.Line> labelled = JsonlReader.readAll(out);
    assertEquals(HOSTILE_TEXTS.size(), labelled.size());
    for (JsonlReader.Line l : labelled) {
      JsonNode logits = l.json().get("logits");
      assertTrue(logits.isArray() && logits.size() == 2 && Double.isFinite(logits.get(0).asDouble()), l.json().toString().substring(0, Math.min(80, l.json().toString().length())));
    }
  }

  @Test
  void invalidUtf8IsRefusedNamingTheLine() throws IOException {
    Path in = dir.resolve("latin1.jsonl");
    byte[] good = "{\"text\":\"ok\"}\n".getBytes(StandardCharsets.UTF_8);
    byte[] bad = {'{', '"', 't', 'e', 'x', 't', '"', ':', '"', 'c', 'a', 'f', (byte) 0xE9, '"', '}', '\n'};
    byte[] all = new byte[good.length + bad.length];
    System.arraycopy(good, 0, all, 0, good.length);
    System.arraycopy(bad, 0, all, good.length, bad.length);
    Files.write(in, all);
    CliRun r = CliRun.of("label", "--model", teacher.toString(), "--in", in.toString(),
        "--out", dir.resolve("latin1-out.jsonl").toString());
    refused(r, in, "not valid UTF-8");
  }

  @Test
  void hostileTextsInARawCorpusAreSkippedWithACount() throws IOException {
    Path raw = dir.resolve("hostile-raw.txt");
    StringBuilder sb = new StringBuilder();
    for (String t : HOSTILE_TEXTS) {
      sb.append(t.replace('\n', ' ')).append('\n');
    }
    for (int i = 0; i < 30; i++) {
      sb.append("The film number ").append(i).append(" was a fine and moving story.\n");
    }
    Files.write(raw, sb.toString().getBytes(StandardCharsets.UTF_8)); // lone surrogate -> '?'
    Path out = dir.resolve("hostile-corpus");
    CliRun r = CliRun.of("synth", "--teacher", teacher.toString(), "--out", out.toString(),
        "--corpus", raw.toString(), "--unit", "line", "--description", "Is a review negative or positive?",
        "--samples", "20", "--shard-size", "20", "--json");
    assertEquals(0, r.exitCode(), r.err());
    JsonNode s = Json.MAPPER.readTree(r.out());
    assertEquals(20, s.get("samples").asLong());
    assertTrue(s.get("candidates").asLong() > 20, "some hostile lines were skipped: " + s);
    CorpusReader.verify(out);
  }
}
