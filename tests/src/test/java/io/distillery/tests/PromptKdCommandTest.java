package io.distillery.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.distillery.runtime.testing.TinyLmFolder;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code distillery run} with a generative task and {@code distillery promptkd}, in-process. */
class PromptKdCommandTest {
  @TempDir static Path dir;
  static Path teacher;
  static Path corpus;

  @BeforeAll
  static void setUp() throws IOException {
    teacher = TinyLmFolder.write(dir.resolve("teacher"), 128, 3);
    StringBuilder b = new StringBuilder();
    for (int i = 0; i < 80; i++) {
      b.append("{\"text\":\"word").append(i).append(": a thing that is ").append(i % 7)
          .append(" times seen near the river\"}\n");
    }
    corpus = Files.writeString(dir.resolve("corpus.jsonl"), b.toString());
  }

  @Test
  void runWithAGenerativeTaskTrainsSftThenPromptKdThenScoresBoth() throws IOException {
    Path out = dir.resolve("run");
    Path config = Files.writeString(dir.resolve("gen.yaml"), String.join("\n",
        "task: {kind: generative}",
        "teacher: " + teacher,
        "corpus: " + corpus,
        "out: " + out,
        "seed: 3",
        "student: {layers: 1, width: 16, heads: 2}",
        "sft: {steps: 2, batch_size: 2}",
        "distill: {method: prompt_kd, steps: 2, batch_size: 2, max_new_tokens: 8,"
            + " checkpoint_every: 1}",
        "eval: {prefixes: 3, sampling_seeds: 2}", ""));
    CliRun r = CliRun.of("run", config.toString());
    assertEquals(0, r.exitCode(), r.err());
    assertTrue(Files.isRegularFile(out.resolve("sft-init/model.onnx")), r.err());
    assertTrue(Files.isRegularFile(out.resolve("student/model.onnx")), r.err());
    assertTrue(Files.isRegularFile(out.resolve("student/soft_prompt.json")), r.err());
    assertEquals(2, Files.readAllLines(out.resolve("student/genkd.jsonl")).size());
    assertTrue(r.out().contains("| teacher |") && r.out().contains("| prompt-kd |"), r.out());
    // a rerun skips both finished stages: the student folder is not rewritten
    var written = Files.getLastModifiedTime(out.resolve("student/model.onnx"));
    CliRun again = CliRun.of("run", config.toString());
    assertEquals(0, again.exitCode(), again.err());
    assertEquals(written, Files.getLastModifiedTime(out.resolve("student/model.onnx")));
    assertEquals(r.out().lines().filter(l -> l.startsWith("| teacher")).count(),
        again.out().lines().filter(l -> l.startsWith("| teacher")).count());
    // promptkd eval scores the same student on its own, two labels of one folder = two rows
    CliRun e = CliRun.of("promptkd", "eval", "--teacher", teacher.toString(), "--corpus",
        corpus.toString(), "--student", "a=" + out.resolve("student"), "--student",
        "b=" + out.resolve("sft-init"), "--prefixes", "2", "--sampling-seeds", "2",
        "--max-new-tokens", "8", "--bench-reps", "1", "--out", dir.resolve("eval").toString());
    assertEquals(0, e.exitCode(), e.err());
    assertTrue(e.out().contains("| a | 1 x 4 |") && e.out().contains("| b | 1 x 4 |"), e.out());
    assertTrue(Files.isRegularFile(dir.resolve("eval/results.json")));
  }

  @Test
  void badGenerativeConfigsAreOneLineExitTwoErrors() throws IOException {
    CliRun k0 = CliRun.of("promptkd", "--teacher", teacher.toString(), "--corpus",
        corpus.toString(), "--out", dir.resolve("k0").toString(), "--prompt-tokens", "0");
    assertEquals(2, k0.exitCode(), k0.err());
    assertTrue(k0.errorLine().contains("prompt tokens (k) must be >= 1"), k0.err());
    assertEquals(1, k0.err().lines().count(), k0.err());

    Path student = TinyLmFolder.write(dir.resolve("student"), 128, 4);
    Files.writeString(student.resolve("tokenizer.json"),
        Files.readString(student.resolve("tokenizer.json")) + " ");
    CliRun tok = CliRun.of("promptkd", "--teacher", teacher.toString(), "--corpus",
        corpus.toString(), "--out", dir.resolve("tok").toString(), "--student-init",
        student.toString());
    assertEquals(2, tok.exitCode(), tok.err());
    assertTrue(tok.errorLine().contains("student tokenizer"), tok.err());

    Path unknown = Files.writeString(dir.resolve("unknown.yaml"),
        "task: {kind: generative}\nout: x\ndistil: {steps: 3}\n");
    CliRun u = CliRun.of("run", unknown.toString());
    assertEquals(2, u.exitCode(), u.err());
    assertTrue(u.errorLine().contains("unknown key 'distil'"), u.err());
  }
}
