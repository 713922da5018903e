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
}
