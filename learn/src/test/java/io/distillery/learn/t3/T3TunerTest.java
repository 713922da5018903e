package io.distillery.learn.t3;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.distillery.core.ConfigException;
import io.distillery.core.Json;
import io.distillery.export.gpt.OnnxInitializers;
import io.distillery.export.gpt.WeightTensor;
import io.distillery.learn.gpt.GeneratorFolder;
import io.distillery.learn.gpt.GptPolicy;
import io.distillery.learn.gpt.GptPolicySettings;
import io.distillery.learn.reward.RewardWeights;
import io.distillery.learn.reward.TeacherLogits;
import io.distillery.runtime.generate.CausalLm;
import io.distillery.runtime.generate.Generation;
import io.distillery.runtime.generate.GenerationConfig;
import io.distillery.runtime.session.SessionConfig;
import io.distillery.runtime.session.SessionFactory;
import io.distillery.runtime.testing.TinyLmFolder;
import io.distillery.synth.filter.FilterConfig;
import io.distillery.synth.prompt.CorpusRewritePrompts;
import io.distillery.synth.prompt.TemplatePrompts;
import io.distillery.synth.task.TaskSpec;
import io.distillery.train.gpt.TorchThreads;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** DFKD-T3 tuning on the tiny byte-level generator with a pure-Java teacher. */
class T3TunerTest {
  static final TaskSpec TASK = new TaskSpec(List.of("negative", "positive"), "Movie reviews");
  static final List<String> SENTENCES = List.of("The ship sailed at dawn with the tide.",
      "A lantern hung from the old oak door.", "Rain fell on the quiet market square.",
      "He counted the coins twice before paying.");
  /** Logits from the share of vowels: a real function of the text, cheap and deterministic. */
  static final TeacherLogits TEACHER = texts -> texts.stream().map(t -> {
    long vowels = t.chars().filter(c -> "aeiou".indexOf(c) >= 0).count();
    float share = t.isEmpty() ? 0 : vowels / (float) t.length();
    return new float[] {0f, 20f * (share - 0.1f)};
  }).toArray(float[][]::new);
  /** Lenient filters: the tiny model writes byte noise. */
  static final FilterConfig LENIENT = new FilterConfig(1, 600, 0, 120, 0.0, 0, false, false, 3,
      0.8, 1);

  @TempDir static Path dir;
  static Path generator;

  @BeforeAll
  static void folder() {
    TorchThreads.configure(1, 1);
    generator = TinyLmFolder.write(dir.resolve("gen"), 128, 3);
  }

  static T3Config config(int steps) {
    return new T3Config(steps, 4, 3e-3, 0.05, 0.0, 12, 1.0, 0, 17, 2, RewardWeights.defaults(),
        0.9, LENIENT);
  }

  static CorpusRewritePrompts prompts() {
    return new CorpusRewritePrompts(TASK, new TemplatePrompts(TASK), SENTENCES, 240);
  }

  static T3Tuner tuner(T3Config c) {
    return new T3Tuner(c, new PrintStream(new ByteArrayOutputStream()));
  }

  @Test
  void interruptedRunResumesToTheSameWeightsAndCurve() throws Exception {
    Path straight = dir.resolve("straight");
    Path resumed = dir.resolve("resumed");
    T3Tuner.Result a = tuner(config(4)).tune(generator, TEACHER, null, prompts(), straight);
    assertTrue(a.complete());
    T3Tuner.Result half = tuner(config(4)).tune(generator, TEACHER, null, prompts(), resumed, 2);
    assertFalse(half.complete());
    assertFalse(Files.exists(resumed.resolve("model.onnx")));
    T3Tuner.Result b = tuner(config(4)).tune(generator, TEACHER, null, prompts(), resumed);
    assertEquals(2, b.startStep());
    assertEquals(4, b.endStep());
    Map<String, WeightTensor> wa = OnnxInitializers.readFloats(straight.resolve("model.onnx"));
    Map<String, WeightTensor> wb = OnnxInitializers.readFloats(resumed.resolve("model.onnx"));
    Map<String, WeightTensor> w0 = OnnxInitializers.readFloats(generator.resolve("model.onnx"));
    assertEquals(wa.keySet(), wb.keySet());
    for (String k : wa.keySet()) {
      assertArrayEquals(wa.get(k).values(), wb.get(k).values(), 0f, k);
    }
    assertFalse(Arrays.equals(w0.get("transformer.h.0.attn.c_attn.weight").values(),
        wa.get("transformer.h.0.attn.c_attn.weight").values()), "tuning changed nothing");
    assertEquals(Files.readAllLines(straight.resolve(T3Tuner.LOG_FILE)),
        Files.readAllLines(resumed.resolve(T3Tuner.LOG_FILE)));
    JsonNode recipe = Json.MAPPER.readTree(resumed.resolve("recipe.json").toFile());
    assertEquals(4, recipe.get("rewardCurve").size());
    assertEquals(4, recipe.get("tuning").get("steps").asInt());
    for (String f : new String[] {"tokenizer.json", "config.json"}) {
      assertTrue(Files.isRegularFile(resumed.resolve(f)), f);
    }
    JsonNode line = Json.MAPPER.readTree(Files.readAllLines(resumed.resolve(T3Tuner.LOG_FILE)).get(3));
    assertEquals(4, line.get("step").asInt());
    assertTrue(line.get("kl").asDouble() > 0, line.toString());
  }

  @Test
  void resumingWithOtherSettingsIsRefused() {
    Path out = dir.resolve("refused");
    tuner(config(2)).tune(generator, TEACHER, null, prompts(), out, 1);
    T3Config other = config(2).withLearning(1e-3, 0.05, RewardWeights.defaults());
    ConfigException e = assertThrows(ConfigException.class,
        () -> tuner(other).tune(generator, TEACHER, null, prompts(), out));
    assertTrue(e.getMessage().contains("other settings"), e.getMessage());
  }

  @Test
  void tunedFolderRunsInOrtAndMatchesDjlTokenForToken() {
    Path out = dir.resolve("parity");
    tuner(config(2)).tune(generator, TEACHER, null, prompts(), out);
    String prompt = CorpusRewritePrompts.format(SENTENCES.get(0), "A negative movie review:");
    try (CausalLm lm = CausalLm.open(out, new SessionFactory(), SessionConfig.cpu());
        GptPolicy djl = GptPolicy.open(GeneratorFolder.read(out), GptPolicySettings.defaults())) {
      Generation g = lm.generate(List.of(prompt), GenerationConfig.greedy(10)
          .withStopAtEos(false)).get(0);
      int[] ids = Arrays.stream(lm.tokenizer().encode(prompt)).mapToInt(Math::toIntExact).toArray();
      GptPolicy.Samples s = djl.sample(List.of(ids), 10, new SplittableRandom(0),
          GptPolicy.StopRule.NEVER, true);
      long[] djlTokens = Arrays.stream(s.tokens()[0]).asLongStream().toArray();
      long[] ortTokens = Arrays.copyOf(g.tokenIds(), djlTokens.length);
      assertArrayEquals(ortTokens, djlTokens);
      for (int i = 0; i < djlTokens.length; i++) {
        assertEquals(g.logProbs()[i], s.logProbs()[0][i], 1e-4, "token " + i);
      }
    }
  }

  @Test
  void configRejectsNegativeStepsAndDistinct2Counts() {
    assertThrows(ConfigException.class, () -> T3Config.defaults(-1, 4, 1));
    assertThrows(ConfigException.class, () -> T3Config.defaults(4, 0, 1));
    assertEquals(1.0, T3Tuner.distinct2(List.of("a b c", "c d")), 1e-9);
    assertEquals(0.5, T3Tuner.distinct2(List.of("a b", "a b")), 1e-9);
  }
}
