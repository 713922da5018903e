package io.distillery.tests;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.distillery.export.graph.OnnxModels;
import io.distillery.runtime.generate.CausalLm;
import io.distillery.runtime.generate.Generation;
import io.distillery.runtime.generate.GenerationConfig;
import io.distillery.runtime.session.SessionConfig;
import io.distillery.runtime.session.SessionFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code export} of the committed demo generator: the current graph (GELU in the form ONNX Runtime
 * fuses) against the committed one, same weights: same greedy tokens, log-probs within 1e-4.
 */
class GeneratorReexportTest {
  @TempDir Path dir;

  @Test
  void reexportedGeneratorMatchesTheCommittedGraph() throws Exception {
    Path committed = Path.of(System.getProperty("distillery.root", "..")).resolve("models/generator");
    Path out = dir.resolve("generator");
    CliRun r = CliRun.of("export", "--model", committed.toString(), "--out", out.toString());
    assertEquals(0, r.exitCode(), r.err());
    for (String f : List.of("tokenizer.json", "config.json", "generation_config.json", "recipe.json")) {
      assertTrue(Files.isRegularFile(out.resolve(f)), f);
    }
    assertTrue(OnnxModels.read(out.resolve("model.onnx")).getGraph().getInitializerList().stream()
        .anyMatch(t -> t.getName().equals("gelu_sqrt2")), "GELU as x / sqrt 2");
    assertTrue(OnnxModels.read(committed.resolve("model.onnx")).getGraph().getInitializerList()
        .stream().noneMatch(t -> t.getName().equals("gelu_sqrt2")), "the committed graph is older");

    SessionFactory sessions = new SessionFactory();
    SessionConfig cpu = SessionConfig.cpu().withIntraOpThreads(1);
    try (CausalLm before = CausalLm.open(committed, sessions, cpu);
        CausalLm after = CausalLm.open(out, sessions, cpu)) {
      List<String> prompts = List.of("The harbour was quiet", "I loved this film because",
          "Nobody knew when");
      List<long[]> ids = prompts.stream().map(p -> before.tokenizer().encode(p)).toList();
      GenerationConfig greedy = GenerationConfig.greedy(24).withStopAtEos(false);
      List<Generation> a = before.generateIds(prompts, ids, greedy);
      List<Generation> b = after.generateIds(prompts, ids, greedy);
      for (int i = 0; i < prompts.size(); i++) {
        assertArrayEquals(a.get(i).tokenIds(), b.get(i).tokenIds(), prompts.get(i));
        assertArrayEquals(a.get(i).logProbs(), b.get(i).logProbs(), 1e-4f, prompts.get(i));
      }
    }
  }

  @Test
  void int8GeneratorStaysCloseToTheFp32One() throws Exception {
    Path committed = Path.of(System.getProperty("distillery.root", "..")).resolve("models/generator");
    Path fp32 = dir.resolve("fp32");
    Path int8 = dir.resolve("int8");
    assertEquals(0, CliRun.of("export", "--model", committed.toString(), "--out", fp32.toString())
        .exitCode());
    CliRun r = CliRun.of("export", "--int8", "--model", committed.toString(), "--out",
        int8.toString());
    assertEquals(0, r.exitCode(), r.err());
    var graph = OnnxModels.read(int8.resolve("model.onnx")).getGraph();
    // 4 blocks x 4 weight matrices + the tied logits head
    assertEquals(17, graph.getNodeList().stream()
        .filter(n -> n.getOpType().equals("MatMulInteger")).count());
    assertTrue(graph.getNodeList().stream().noneMatch(n -> n.getOpType().equals("Transpose")
        && n.getInput(0).equals("transformer.wte.weight")), "the head reads an int8 copy");
    assertTrue(Files.size(int8.resolve("model.onnx")) < 0.7 * Files.size(fp32.resolve("model.onnx")));
    CliRun again = CliRun.of("export", "--int8", "--model", int8.toString(), "--out",
        dir.resolve("int8-again").toString());
    assertEquals(2, again.exitCode(), again.err());
    assertTrue(again.errorLine().contains("already quantised"), again.errorLine());

    SessionFactory sessions = new SessionFactory();
    SessionConfig cpu = SessionConfig.cpu().withIntraOpThreads(1);
    try (CausalLm a = CausalLm.open(fp32, sessions, cpu);
        CausalLm b = CausalLm.open(int8, sessions, cpu)) {
      List<String> prompts = List.of("The harbour was quiet", "I loved this film because",
          "Nobody knew when", "The price of the phone", "She opened the letter and",
          "In the morning the village", "This product broke after", "The best part of the trip");
      List<long[]> ids = prompts.stream().map(p -> a.tokenizer().encode(p)).toList();
      GenerationConfig greedy = GenerationConfig.greedy(16).withStopAtEos(false);
      List<Generation> x = a.generateIds(prompts, ids, greedy);
      List<Generation> y = b.generateIds(prompts, ids, greedy);
      int sameFirst = 0;
      double worstFirst = 0;
      for (int i = 0; i < prompts.size(); i++) {
        if (x.get(i).tokenIds()[0] == y.get(i).tokenIds()[0]) {
          sameFirst++;
          worstFirst = Math.max(worstFirst,
              Math.abs(x.get(i).logProbs()[0] - y.get(i).logProbs()[0]));
        }
      }
      System.out.printf("int8 generator: first greedy token equal for %d/%d prompts, worst"
          + " |log-prob difference| %.4f%n", sameFirst, prompts.size(), worstFirst);
      assertTrue(sameFirst >= prompts.size() - 2, sameFirst + " of " + prompts.size());
      assertTrue(worstFirst < 0.1, "log-prob of the same token differs by " + worstFirst);
    }
  }
}
