package io.distillery.synth.source;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.distillery.runtime.session.SessionConfig;
import io.distillery.runtime.session.SessionFactory;
import io.distillery.synth.prompt.Prompt;
import io.distillery.synth.prompt.TemplatePrompts;
import io.distillery.synth.task.TaskSpec;
import io.distillery.synth.testing.TinyGenerator;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class GeneratorSourceTest {
  static final TaskSpec TASK = new TaskSpec(List.of("negative", "positive"), "Sentiment of movie reviews");
  static final GenerationSettings SETTINGS = new GenerationSettings(40, 1.0, 0, 1.0, List.of(), 4, 24);
  static CausalLmGenerator generator;

  @BeforeAll
  static void open() {
    generator = CausalLmGenerator.open(TinyGenerator.folder(), new SessionFactory(), SessionConfig.cpu());
  }

  @AfterAll
  static void close() {
    generator.close();
  }

  private static GeneratorSource source() {
    return new GeneratorSource(new TemplatePrompts(TASK), generator, SETTINGS);
  }

  @Test
  void candidatesAreReproducibleFromTheShardSeed() {
    GeneratorSource a = source();
    a.startShard(new ShardStart(0, 1, 99, 0));
    List<Candidate> first = a.next(8);
    List<Candidate> second = a.next(8);
    GeneratorSource b = source();
    b.startShard(new ShardStart(0, 1, 99, 0));
    assertEquals(first, b.next(8));
    assertEquals(second, b.next(8));
    b.startShard(new ShardStart(1, 1, 100, 16));
    assertNotEquals(first, b.next(8));
  }

  @Test
  void candidatesCarryTheirPromptAndTheLogProbOfTheKeptTokens() {
    GeneratorSource s = source();
    s.startShard(new ShardStart(0, 1, 7, 0));
    List<Candidate> got = s.next(12);

    // replay what the source did: prompts, then the sampling seed, from the shard's generator
    SplittableRandom rng = new SplittableRandom(7);
    List<Prompt> prompts = new TemplatePrompts(TASK).next(12, rng);
    List<Continuation> raw = generator.generate(
        prompts.stream().map(Prompt::text).toList(), SETTINGS, rng.nextLong());
    ContinuationCutter cutter = new ContinuationCutter(SETTINGS);
    int cutShort = 0;
    for (int i = 0; i < got.size(); i++) {
      Candidate c = got.get(i);
      Continuation g = raw.get(i);
      assertEquals(prompts.get(i).text(), c.prompt());
      assertEquals(prompts.get(i).intendedLabel(), c.intendedLabel());
      ContinuationCutter.Cut cut = cutter.cut(g.text());
      assertEquals(cut.text(), c.text());
      assertTrue(c.text().length() <= SETTINGS.cutMaxChars());
      // the log-prob is the sum over the shortest token prefix whose text covers the cut
      // (all of them when the cut kept the whole text, end of text included)
      double sum = 0;
      int k = 0;
      boolean whole = cut.end() >= g.text().length();
      while (k < g.tokenIds().length
          && (whole || generator.decode(Arrays.copyOf(g.tokenIds(), k)).length() < cut.end())) {
        sum += g.tokenLogProbs()[k++];
      }
      if (k < g.tokenIds().length) {
        cutShort++;
      }
      // the source stops rows early and runs them in other batch compositions than this
      // full-length replay: the same tokens, log-probs equal to float rounding
      assertEquals(sum, c.generatorLogProb(), 1e-4, "candidate " + i);
      assertTrue(c.generatorLogProb() <= 0);
    }
    assertTrue(cutShort > 0, "some continuations were cut before their last token");
    assertEquals(6, got.stream().filter(c -> c.intendedLabel() == 1).count(), "labels balanced");
  }

  @Test
  void stoppingAtTheCutGivesTheCandidatesOfGeneratingToTheLimit() {
    // the tiny model writes random bytes, seldom a sentence end: the character limit cuts most
    GenerationSettings settings = new GenerationSettings(40, 1.0, 0, 1.0, List.of(), 4, 16);
    CountingGenerator full = new CountingGenerator(generator);
    CountingGenerator early = new CountingGenerator(
        generator.withBatching(io.distillery.runtime.generate.Batching.rows(3)));
    GeneratorSource a = new GeneratorSource(new TemplatePrompts(TASK), full, settings,
        GeneratorSource.Decoding.FULL_THEN_CUT);
    GeneratorSource b = new GeneratorSource(new TemplatePrompts(TASK), early, settings,
        GeneratorSource.Decoding.STOP_AT_CUT);
    a.startShard(new ShardStart(0, 1, 5, 0));
    b.startShard(new ShardStart(0, 1, 5, 0));
    for (int batch = 0; batch < 3; batch++) {
      List<Candidate> x = a.next(10);
      List<Candidate> y = b.next(10);
      assertEquals(x.size(), y.size());
      for (int i = 0; i < x.size(); i++) {
        assertEquals(x.get(i).text(), y.get(i).text(), "batch " + batch + ", candidate " + i);
        assertEquals(x.get(i).prompt(), y.get(i).prompt());
        assertEquals(x.get(i).intendedLabel(), y.get(i).intendedLabel());
        assertEquals(x.get(i).generatorLogProb(), y.get(i).generatorLogProb(), 1e-4);
      }
    }
    assertTrue(full.tokens > 30 * 40 * 9 / 10, "the old path runs to the limit or end of text");
    assertTrue(early.tokens < full.tokens * 3 / 4,
        "stopping at the cut should save tokens: " + early.tokens + " of " + full.tokens);
  }

  /** Counts the tokens a generator produced. */
  static final class CountingGenerator implements TextGenerator {
    final TextGenerator inner;
    long tokens;

    CountingGenerator(TextGenerator inner) {
      this.inner = inner;
    }

    @Override
    public List<Continuation> generate(List<String> prompts, GenerationSettings s, long seed) {
      return count(inner.generate(prompts, s, seed));
    }

    @Override
    public List<Continuation> generate(List<String> prompts, GenerationSettings s, long seed,
        io.distillery.runtime.generate.StopCondition done) {
      return count(inner.generate(prompts, s, seed, done));
    }

    private List<Continuation> count(List<Continuation> out) {
      out.forEach(c -> tokens += c.tokenIds().length);
      return out;
    }

    @Override
    public String decode(long[] ids) {
      return inner.decode(ids);
    }

    @Override
    public com.fasterxml.jackson.databind.node.ObjectNode describe() {
      return inner.describe();
    }
  }
}
