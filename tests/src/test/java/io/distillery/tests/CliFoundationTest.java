package io.distillery.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.distillery.core.Json;
import io.distillery.core.JsonlReader;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The foundation commands (inspect, label, eval) driven through the CLI on a real model. */
class CliFoundationTest {
  @TempDir static Path dir;
  static Path classifier;
  static Path encoder;

  @BeforeAll
  static void buildModel() throws IOException {
    classifier = TinyClassifier.create(dir);
    encoder = dir.resolve("encoder");
  }

  @Test
  void inspectShowsSignatureParametersAndProviders() throws Exception {
    CliRun r = CliRun.of("inspect", classifier.toString(), "--json");
    assertEquals(0, r.exitCode(), r.err());
    JsonNode j = Json.MAPPER.readTree(r.out());
    assertEquals("logits", j.at("/summary/outputs/0/name").asText());
    assertEquals(List.of("batch_size", "2"),
        List.of(j.at("/summary/outputs/0/dims/0").asText(), j.at("/summary/outputs/0/dims/1").asText()));
    assertTrue(j.at("/summary/parameterCount").asLong() > 20_000_000, r.out());
    assertTrue(j.at("/providers_available").toString().contains("CPU"));
  }

  @Test
  void labelAddsLogitsAndCountsTruncation() throws Exception {
    Path in = dir.resolve("texts.jsonl");
    String longText = "word ".repeat(400);
    Files.writeString(in, "{\"text\":\"I loved it\",\"id\":1}\n{\"text\":\"" + longText
        + "\",\"id\":2}\n{\"text\":\"awful\",\"id\":3}\n");
    Path out = dir.resolve("labelled.jsonl");
    CliRun r = CliRun.of("label", "--model", classifier.toString(), "--in", in.toString(),
        "--out", out.toString(), "--json");
    assertEquals(0, r.exitCode(), r.err());
    JsonNode summary = Json.MAPPER.readTree(r.out());
    assertEquals(3, summary.get("records").asInt());
    assertEquals(1, summary.get("truncatedTexts").asInt(), "the 400-word text is cut, not rejected");
    List<JsonlReader.Line> lines = JsonlReader.readAll(out);
    assertEquals(3, lines.size());
    for (JsonlReader.Line l : lines) {
      JsonNode logits = l.json().get("logits");
      assertEquals(2, logits.size());
      int argmax = logits.get(1).asDouble() > logits.get(0).asDouble() ? 1 : 0;
      assertEquals(argmax, l.json().get("label").asInt());
      assertEquals(argmax == 1 ? "positive" : "negative", l.json().get("label_name").asText());
    }
    assertEquals(2, lines.get(1).json().get("id").asInt(), "input fields and order are kept");
  }

  @Test
  void evalScoresLabelNamesAndIds() throws Exception {
    // label the data with the model itself: accuracy against its own labels must be 1.0
    Path in = dir.resolve("eval-in.jsonl");
    Files.writeString(in, "{\"text\":\"good\"}\n{\"text\":\"bad\"}\n{\"text\":\"fine I guess\"}\n");
    Path labelled = dir.resolve("eval-labelled.jsonl");
    assertEquals(0, CliRun.of("label", "--model", classifier.toString(), "--in", in.toString(),
        "--out", labelled.toString()).exitCode());
    CliRun byId = CliRun.of("eval", "--model", classifier.toString(), "--data", labelled.toString(), "--json");
    assertEquals(0, byId.exitCode(), byId.err());
    assertEquals(1.0, Json.MAPPER.readTree(byId.out()).at("/report/accuracy").asDouble(), 1e-12);
    CliRun byName = CliRun.of("eval", "--model", classifier.toString(), "--data",
        labelled.toString(), "--label-field", "label_name");
    assertEquals(0, byName.exitCode(), byName.err());
    assertTrue(byName.out().contains("accuracy  1.0000"), byName.out());
    assertTrue(byName.out().contains("confusion"), byName.out());
  }

  @Test
  void badInputsGiveOneLineErrorsNamingTheFileAndExitTwo() throws Exception {
    Path texts = dir.resolve("ok.jsonl");
    Files.writeString(texts, "{\"text\":\"hello\"}\n");
    Path out = dir.resolve("never.jsonl");

    // a missing model folder
    Path missing = dir.resolve("no-such-model");
    assertBadInput(label(missing, texts, out), missing.toString());

    // a model.onnx that is not ONNX
    Path garbage = copyOf(classifier, "garbage");
    Files.write(garbage.resolve("model.onnx"), new byte[] {1, 2, 3, 4, 5, 6, 7, 8});
    assertBadInput(label(garbage, texts, out), garbage.resolve("model.onnx").toString());

    // a model without a logits output: the bare encoder
    CliRun noLogits = label(encoder, texts, out);
    assertBadInput(noLogits, "model.onnx");
    assertTrue(noLogits.errorLine().contains("logits"), noLogits.errorLine());

    // a tokenizer.json that is not JSON
    Path badTok = copyOf(classifier, "bad-tokenizer");
    Files.writeString(badTok.resolve("tokenizer.json"), "this is { not json");
    assertBadInput(label(badTok, texts, out), badTok.resolve("tokenizer.json").toString());

    // a JSONL line that is not JSON: the error names the line
    Path badLine = dir.resolve("bad-line.jsonl");
    Files.writeString(badLine, "{\"text\":\"a\"}\n{\"text\": oops}\n");
    CliRun r = label(classifier, badLine, out);
    assertBadInput(r, badLine.toString());
    assertTrue(r.errorLine().contains("line 2"), r.errorLine());

    // an empty input file
    Path empty = dir.resolve("empty.jsonl");
    Files.writeString(empty, "");
    CliRun e = label(classifier, empty, out);
    assertBadInput(e, empty.toString());
    assertTrue(e.errorLine().contains("empty"), e.errorLine());

    // a bad option value is a usage error: exit 2 as well
    assertEquals(2, CliRun.of("label", "--model", classifier.toString(), "--in", texts.toString(),
        "--out", out.toString(), "--device", "quantum").exitCode());

    assertFalse(Files.exists(out), "no partial output was left behind");
  }

  private static CliRun label(Path model, Path in, Path out) {
    return CliRun.of("label", "--model", model.toString(), "--in", in.toString(), "--out", out.toString());
  }

  private static void assertBadInput(CliRun r, String mustName) {
    assertEquals(2, r.exitCode(), "exit code; stderr was: " + r.err());
    String line = r.errorLine();
    assertTrue(line.contains(mustName), "error names " + mustName + ": " + line);
    assertEquals(1, r.err().lines().filter(l -> l.startsWith("error: ")).count(), r.err());
    assertFalse(r.err().contains("\tat "), "no stack trace for bad input: " + r.err());
  }

  private static Path copyOf(Path folder, String name) throws IOException {
    Path copy = dir.resolve(name);
    Files.createDirectories(copy);
    try (var files = Files.list(folder)) {
      for (Path f : files.toList()) {
        Files.copy(f, copy.resolve(f.getFileName()));
      }
    }
    return copy;
  }
}
