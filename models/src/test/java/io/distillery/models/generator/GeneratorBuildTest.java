package io.distillery.models.generator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.distillery.core.Json;
import io.distillery.export.check.OnnxChecker;
import io.distillery.models.corpus.CorpusSource;
import io.distillery.models.data.DataLayout;
import io.distillery.runtime.generate.CausalLm;
import io.distillery.runtime.generate.Generation;
import io.distillery.runtime.generate.GenerationConfig;
import io.distillery.runtime.session.SessionConfig;
import io.distillery.runtime.session.SessionFactory;
import io.distillery.train.gpt.GptConfig;
import io.distillery.train.gpt.GptTrainingConfig;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The whole recipe on a tiny model: tokenizer, corpus, training, export, generation. */
class GeneratorBuildTest {
  @Test
  void buildsAFolderThatCausalLmGeneratesFrom(@TempDir Path dir) throws Exception {
    GeneratorRecipe recipe = new GeneratorRecipe(300, new GptConfig(1, 32, 4, 32, 300),
        new GptTrainingConfig(4, 2, 32, 3e-3, 3e-4, 1, 0.1, 1.0, 9L, 2, 0, 8),
        List.of(CorpusSource.FORTUNES, CorpusSource.WORDNET), 20_000, 0.1);
    ByteArrayOutputStream log = new ByteArrayOutputStream();
    Path out = dir.resolve("generator");
    GeneratorBuild.Outcome o = new GeneratorBuild(recipe, DataLayout.detect(),
        new PrintStream(log, true, StandardCharsets.UTF_8)).run(out, dir.resolve("ckpt"),
        Integer.MAX_VALUE, false);
    assertTrue(o.complete());
    assertEquals(4, o.stepsDone());
    for (String f : List.of("model.onnx", "tokenizer.json", "config.json",
        "generation_config.json", "recipe.json")) {
      assertTrue(Files.isRegularFile(out.resolve(f)), f);
    }
    OnnxChecker.check(out.resolve("model.onnx"));
    JsonNode r = Json.MAPPER.readTree(out.resolve("recipe.json").toFile());
    assertEquals(4, r.path("steps").asInt());
    assertTrue(r.path("corpus").path("trainBytes").asLong() > 30_000);
    double bpb = r.path("heldOut").path("bitsPerByte").asDouble();
    assertTrue(bpb > 0.5 && bpb < 10, "bits/byte " + bpb);
    assertEquals(o.heldOut().bitsPerByte(), bpb, 1e-9);
    try (CausalLm lm = CausalLm.open(out, new SessionFactory(), SessionConfig.cpu())) {
      assertEquals(32, lm.context());
      assertEquals(299, lm.eosId());
      Generation g = lm.generate(List.of("The sea"), GenerationConfig.greedy(5)
          .withStopAtEos(false)).get(0);
      assertEquals(5, g.tokenIds().length);
    }
    String text = log.toString(StandardCharsets.UTF_8);
    assertTrue(text.contains("held-out") && text.contains("tokens/s"), text);
  }
}
