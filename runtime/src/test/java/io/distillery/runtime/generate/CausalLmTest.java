package io.distillery.runtime.generate;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.distillery.core.BadInputException;
import io.distillery.core.ConfigException;
import io.distillery.core.ModelLoadException;
import io.distillery.export.gpt.GptExporter;
import io.distillery.export.onnx.OnnxProto.ModelProto;
import io.distillery.runtime.session.SessionConfig;
import io.distillery.runtime.session.SessionFactory;
import io.distillery.runtime.testing.TinyLmFolder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CausalLmTest {
  static final List<String> PROMPTS = List.of("Hello", "a", "The quick brown fox", "Zebra é");
  @TempDir static Path tmp;
  static CausalLm cached;
  static CausalLm uncached;

  @BeforeAll
  static void open() throws Exception {
    SessionFactory factory = new SessionFactory();
    cached = CausalLm.open(TinyLmFolder.write(Files.createDirectory(tmp.resolve("past")), true),
        factory, SessionConfig.cpu());
    uncached = CausalLm.open(TinyLmFolder.write(Files.createDirectory(tmp.resolve("nopast")),
        false), factory, SessionConfig.cpu());
  }

  @AfterAll
  static void close() {
    cached.close();
    uncached.close();
  }

  static GenerationConfig greedy(int n) {
    return GenerationConfig.greedy(n).withStopAtEos(false);
  }

  @Test
  void signatureIsRead() {
    assertEquals(new LmSignature(2, 4, 8, true, true), cached.signature());
    assertFalse(uncached.signature().hasCache());
    assertEquals(48, cached.context());
    assertEquals(256, cached.eosId());
  }

  @Test
  void batchedGreedyEqualsOneByOneGreedy() {
    List<Generation> batched = cached.generate(PROMPTS, greedy(12));
    for (int i = 0; i < PROMPTS.size(); i++) {
      Generation alone = cached.generate(List.of(PROMPTS.get(i)), greedy(12)).get(0);
      assertArrayEquals(alone.tokenIds(), batched.get(i).tokenIds(), PROMPTS.get(i));
      assertArrayEquals(alone.logProbs(), batched.get(i).logProbs(), 1e-4f);
      assertEquals(alone.text(), batched.get(i).text());
      assertEquals(12, alone.tokenIds().length);
      assertEquals(FinishReason.LENGTH, alone.finish());
    }
    // a model this peaked does not just repeat one token
    assertTrue(java.util.Arrays.stream(batched.get(0).tokenIds()).distinct().count() > 1);
  }

  @Test
  void cachedEqualsRecomputedAndTheNoPastModel() {
    List<Generation> withCache = cached.generate(PROMPTS, greedy(10));
    List<Generation> recomputed = cached.generate(PROMPTS, greedy(10).withCache(CacheMode.OFF));
    List<Generation> noPast = uncached.generate(PROMPTS, greedy(10));
    for (int i = 0; i < PROMPTS.size(); i++) {
      assertArrayEquals(withCache.get(i).tokenIds(), recomputed.get(i).tokenIds());
      assertArrayEquals(withCache.get(i).tokenIds(), noPast.get(i).tokenIds());
      assertArrayEquals(withCache.get(i).logProbs(), noPast.get(i).logProbs(), 1e-4f);
    }
  }

  @Test
  void fixedSeedSamplesAreReproducibleAndLogProbsAreProbabilities() {
    GenerationConfig c = GenerationConfig.sampling(20, 1.0, 7).withStopAtEos(false);
    List<Generation> a = cached.generate(PROMPTS, c);
    List<Generation> b = cached.generate(PROMPTS, c);
    List<Generation> other = cached.generate(PROMPTS,
        GenerationConfig.sampling(20, 1.0, 8).withStopAtEos(false));
    boolean anyDiffers = false;
    for (int i = 0; i < PROMPTS.size(); i++) {
      assertArrayEquals(a.get(i).tokenIds(), b.get(i).tokenIds());
      anyDiffers |= !java.util.Arrays.equals(a.get(i).tokenIds(), other.get(i).tokenIds());
      for (float lp : a.get(i).logProbs()) {
        assertTrue(lp <= 0 && lp > -50, "log-prob " + lp);
      }
    }
    assertTrue(anyDiffers, "another seed should change some sample");
    // a row's sample does not depend on the rest of the batch
    Generation first = cached.generate(PROMPTS.subList(0, 1), c).get(0);
    assertArrayEquals(a.get(0).tokenIds(), first.tokenIds());
  }

  @Test
  void stopSequenceCutsTheText() {
    Generation g = cached.generate(List.of("Hello"), greedy(16)).get(0);
    String stop = g.text().substring(3, 5);
    int cut = g.text().indexOf(stop);
    Generation s = cached.generate(List.of("Hello"),
        greedy(16).withStopSequences(List.of(stop))).get(0);
    assertEquals(FinishReason.STOP_SEQUENCE, s.finish());
    assertEquals(g.text().substring(0, cut), s.text());
    assertTrue(s.tokenIds().length <= cut + stop.length());
  }

  @Test
  void generationStopsAtTheContext() {
    String prompt = "x".repeat(44); // 44 byte tokens, context 48
    Generation g = cached.generate(List.of(prompt, "y"), greedy(20)).get(0);
    assertEquals(FinishReason.CONTEXT, g.finish());
    assertEquals(4, g.tokenIds().length);
  }

  @Test
  void badInputsGiveClearErrors() throws Exception {
    BadInputException empty = assertThrows(BadInputException.class,
        () -> cached.generate(List.of("ok", ""), greedy(4)));
    assertTrue(empty.getMessage().contains("prompt 1 is empty"), empty.getMessage());
    BadInputException tooLong = assertThrows(BadInputException.class,
        () -> cached.generate(List.of("z".repeat(60)), greedy(4)));
    assertTrue(tooLong.getMessage().contains("has 60 tokens")
        && tooLong.getMessage().contains("context of 48"), tooLong.getMessage());
    ConfigException noPast = assertThrows(ConfigException.class,
        () -> uncached.generate(List.of("hi"), greedy(4).withCache(CacheMode.ON)));
    assertTrue(noPast.getMessage().contains("no past_key_values.* inputs"), noPast.getMessage());

    ModelProto full = GptExporter.build(TinyLmFolder.ARCH, TinyLmFolder.weights(5), Map.of());
    ModelProto.Builder b = full.toBuilder();
    List<Integer> drop = new ArrayList<>();
    for (int i = 0; i < b.getGraph().getOutputCount(); i++) {
      if (b.getGraph().getOutput(i).getName().startsWith("present.1.")) {
        drop.add(i);
      }
    }
    for (int i = drop.size() - 1; i >= 0; i--) {
      b.getGraphBuilder().removeOutput(drop.get(i));
    }
    Path bad = TinyLmFolder.write(Files.createDirectory(tmp.resolve("bad")), b.build());
    ModelLoadException layers = assertThrows(ModelLoadException.class,
        () -> CausalLm.open(bad, new SessionFactory(), SessionConfig.cpu()).close());
    assertTrue(layers.getMessage().contains("layer count mismatch: 2 past_key_values layers as"
        + " inputs but 1 present layers"), layers.getMessage());
    ModelLoadException missing = assertThrows(ModelLoadException.class,
        () -> CausalLm.open(tmp.resolve("nothing"), new SessionFactory(), SessionConfig.cpu()));
    assertTrue(missing.getMessage().contains("model.onnx: no such file"), missing.getMessage());
    assertNotEquals(null, cached.tokenizer().path());
  }
}
