package io.distillery.runtime.generate;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.distillery.core.ConfigException;
import io.distillery.runtime.session.SessionConfig;
import io.distillery.runtime.session.SessionFactory;
import io.distillery.runtime.testing.TinyLmFolder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Continuous batching and per-row stop conditions: rows leave when done, waiting prompts take
 * their rows, and no prompt's result depends on the batch it ran in.
 */
class ContinuousBatchingTest {
  /** Prompts of 1 to 19 tokens (byte-level tokenizer), so rows are padded differently. */
  static final List<String> PROMPTS = List.of("Hello", "a", "The quick brown fox", "Zebra é",
      "once upon", "xy", "What is it?", "Many long words here", "q", "Seven", "Go on and on",
      "It", "The end of the line");
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

  /** Prompt p is done once its text has at least 2 + (5p mod 11) characters: rows end apart. */
  static final StopCondition UNEVEN = (p, text) -> text.length() >= 2 + (5 * p) % 11;

  static Batching rows(int n) {
    return n == 0 ? Batching.all() : Batching.rows(n);
  }

  static void assertSame(List<Generation> expected, List<Generation> actual, String what) {
    assertEquals(expected.size(), actual.size(), what);
    for (int i = 0; i < expected.size(); i++) {
      String at = what + ", prompt " + i;
      assertArrayEquals(expected.get(i).tokenIds(), actual.get(i).tokenIds(), at);
      assertArrayEquals(expected.get(i).logProbs(), actual.get(i).logProbs(), 1e-4f, at);
      assertEquals(expected.get(i).text(), actual.get(i).text(), at);
      assertEquals(expected.get(i).finish(), actual.get(i).finish(), at);
      assertEquals(expected.get(i).prompt(), actual.get(i).prompt(), at);
    }
  }

  @Test
  void continuousBatchingGivesTheStaticTextsForAFixedSeed() {
    GenerationConfig c = GenerationConfig.sampling(24, 1.0, 11).withStopAtEos(false);
    List<Generation> all = cached.generate(PROMPTS, c, UNEVEN, rows(0));
    for (int n : new int[] {1, 2, 3, 5, 8}) {
      assertSame(all, cached.generate(PROMPTS, c, UNEVEN, rows(n)), n + " rows");
    }
    // rows that stay until their batch is done: the batching before rows could leave
    assertSame(all, cached.generate(PROMPTS, c, UNEVEN, Batching.fixed()), "fixed batch");
    assertSame(all, cached.generate(PROMPTS, c, UNEVEN, new Batching(5, false)), "fixed chunks");
    // the rows ended at different steps, and all by the stop condition
    Set<Integer> lengths = all.stream().map(g -> g.tokenIds().length).collect(Collectors.toSet());
    assertTrue(lengths.size() > 3, "rows should finish at different steps: " + lengths);
    assertTrue(all.stream().allMatch(g -> g.finish() == FinishReason.STOP_CONDITION));
    // prompt 4 alone, as prompt 4 of its list, samples the same text
    List<Generation> alone = cached.generate(PROMPTS.subList(0, 5), c, UNEVEN, rows(1));
    assertSame(all.subList(0, 5), alone, "prefix of the prompts");
  }

  @Test
  void batchedGreedyEqualsOneByOneGreedyWithRowsLeavingAndJoining() {
    GenerationConfig c = GenerationConfig.greedy(16).withStopAtEos(false);
    List<Generation> batched = cached.generate(PROMPTS, c, UNEVEN, rows(4));
    for (int i = 0; i < PROMPTS.size(); i++) {
      int p = i;
      // alone, prompt i is prompt 0 of its list: give it prompt i's stop rule
      StopCondition own = (q, text) -> UNEVEN.done(p, text);
      Generation one = cached.generate(List.of(PROMPTS.get(i)), c, own, rows(0)).get(0);
      assertSame(List.of(one), List.of(batched.get(i)), "greedy one by one");
    }
  }

  @Test
  void theStopConditionEndsARowAtTheFirstTokenThatSatisfiesIt() {
    GenerationConfig c = GenerationConfig.sampling(24, 1.0, 3).withStopAtEos(false);
    List<Generation> full = cached.generate(PROMPTS, c);
    List<Generation> stopped = cached.generate(PROMPTS, c, UNEVEN, rows(3));
    for (int p = 0; p < PROMPTS.size(); p++) {
      Generation s = stopped.get(p);
      long[] ids = s.tokenIds();
      assertTrue(UNEVEN.done(p, s.text()));
      assertFalse(UNEVEN.done(p, cached.tokenizer().decode(
          java.util.Arrays.copyOf(ids, ids.length - 1))), "stopped late, prompt " + p);
      // the same tokens as the run without the condition, up to where it stopped
      assertArrayEquals(java.util.Arrays.copyOf(full.get(p).tokenIds(), ids.length), ids);
      assertEquals(FinishReason.LENGTH, full.get(p).finish());
    }
  }

  @Test
  void recomputingWithoutTheCacheGivesTheSameContinuousResults() {
    GenerationConfig c = GenerationConfig.greedy(12).withStopAtEos(false);
    List<Generation> withCache = cached.generate(PROMPTS, c, UNEVEN, rows(3));
    assertSame(withCache, cached.generate(PROMPTS, c.withCache(CacheMode.OFF), UNEVEN, rows(3)),
        "cache off");
    assertSame(withCache, uncached.generate(PROMPTS, c, UNEVEN, rows(5)), "no-past model");
  }

  @Test
  void rowsThatFinishAtTheirFirstTokenAndTheContextLimitStillWork() {
    GenerationConfig one = GenerationConfig.greedy(1).withStopAtEos(false);
    List<Generation> g = cached.generate(PROMPTS, one, StopCondition.NEVER, rows(2));
    assertTrue(g.stream().allMatch(x -> x.tokenIds().length == 1
        && x.finish() == FinishReason.LENGTH));
    String nearlyFull = "x".repeat(44); // context 48
    List<Generation> mixed = cached.generate(List.of("y", nearlyFull, "z", nearlyFull),
        GenerationConfig.greedy(20).withStopAtEos(false), StopCondition.NEVER, rows(2));
    assertEquals(FinishReason.CONTEXT, mixed.get(1).finish());
    assertEquals(4, mixed.get(1).tokenIds().length);
    assertEquals(20, mixed.get(0).tokenIds().length);
    assertSame(cached.generate(List.of("z"), GenerationConfig.greedy(20).withStopAtEos(false)),
        List.of(mixed.get(2)), "after a context stop");
    assertThrows(ConfigException.class, () -> Batching.rows(-1));
  }
}
