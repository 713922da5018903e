package io.distillery.runtime.generate;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.distillery.runtime.session.SessionConfig;
import io.distillery.runtime.session.SessionFactory;
import io.distillery.runtime.testing.TinyLmFolder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Choosing tokens through the {@link LogitsReducer} graph gives the tokens the Java passes over
 * the logits give, and their log-probabilities to float rounding, for greedy decoding and for
 * top-k / top-p sampling, with and without the KV cache, rows leaving and joining.
 */
class TokenScoringTest {
  @TempDir static Path tmp;
  /** The token choice appended to the model's graph (what {@link CausalLm#open} does). */
  static CausalLm inGraph;
  /** The model as it is: Java passes, or ({@link TokenScoring#GRAPH}) the reducer's session. */
  static CausalLm plain;

  @BeforeAll
  static void open() throws Exception {
    Path dir = TinyLmFolder.write(Files.createDirectory(tmp.resolve("lm")), true);
    inGraph = CausalLm.open(dir, new SessionFactory(), SessionConfig.cpu());
    plain = CausalLm.open(dir, new SessionFactory(), SessionConfig.cpu(), TokenScoring.JAVA);
  }

  @AfterAll
  static void close() {
    inGraph.close();
    plain.close();
  }

  private static List<Generation> generate(CausalLm lm, TokenScoring scoring, GenerationConfig c,
      int rows) {
    TokenScoring before = lm.tokenScoring();
    lm.setTokenScoring(scoring);
    try {
      return lm.generate(ContinuousBatchingTest.PROMPTS, c, ContinuousBatchingTest.UNEVEN,
          ContinuousBatchingTest.rows(rows));
    } finally {
      lm.setTokenScoring(before);
    }
  }

  private static void assertSameChoices(GenerationConfig c, String what) {
    for (int rows : new int[] {0, 3}) {
      List<Generation> java = generate(plain, TokenScoring.JAVA, c, rows);
      List<List<Generation>> others = List.of(generate(plain, TokenScoring.GRAPH, c, rows),
          generate(inGraph, TokenScoring.GRAPH, c, rows),
          generate(inGraph, TokenScoring.JAVA, c, rows));
      for (int o = 0; o < others.size(); o++) {
        List<Generation> other = others.get(o);
        for (int i = 0; i < java.size(); i++) {
          String at = what + ", " + rows + " rows, way " + o + ", prompt " + i;
          assertArrayEquals(java.get(i).tokenIds(), other.get(i).tokenIds(), at);
          assertArrayEquals(java.get(i).logProbs(), other.get(i).logProbs(), 1e-5f, at);
          assertEquals(java.get(i).text(), other.get(i).text(), at);
        }
      }
    }
  }

  @Test
  void openingAppendsTheTokenChoiceToTheGraphUnlessAskedNotTo() {
    assertTrue(inGraph.tokenScoring() == TokenScoring.GRAPH);
    assertTrue(plain.tokenScoring() == TokenScoring.JAVA);
    assertEquals(inGraph.signature(), plain.signature(), "the extra input is not the LM's");
    long[] ids = inGraph.tokenizer().encode("teacher forcing still works");
    assertArrayEquals(plain.logits(ids), inGraph.logits(ids), 0f);
  }

  @Test
  void greedyChoosesTheSameTokens() {
    assertSameChoices(GenerationConfig.greedy(20).withStopAtEos(false), "greedy");
    assertSameChoices(GenerationConfig.greedy(20).withStopAtEos(false).withCache(CacheMode.OFF),
        "greedy without cache");
  }

  @Test
  void topKAndTopPSamplingDrawTheSameTokens() {
    // top-k 50 of a 257-entry vocabulary: the reducer's TopK path; temperatures around 1
    for (double t : new double[] {0.7, 1.0, 1.5}) {
      GenerationConfig c = new GenerationConfig(24, t, 50, 0.9, List.of(), 17, false,
          CacheMode.AUTO);
      assertSameChoices(c, "top-k 50, top-p 0.9, temperature " + t);
    }
    GenerationConfig k5 = new GenerationConfig(24, 1.0, 5, 1.0, List.of(), 3, false,
        CacheMode.OFF);
    assertSameChoices(k5, "top-k 5 without cache");
  }

  @Test
  void samplingOverTheWholeVocabularyStaysInJava() {
    // top-k 0: the sampler needs every logit, so both settings take the Java passes
    GenerationConfig all = new GenerationConfig(12, 1.0, 0, 0.95, List.of(), 5, false,
        CacheMode.AUTO);
    assertSameChoices(all, "top-k off");
    assertEquals(0, new TokenSampler(all).topNeeded(257));
    assertEquals(1, new TokenSampler(GenerationConfig.greedy(3)).topNeeded(257));
    assertEquals(50, new TokenSampler(GenerationConfig.sampling(3, 1.0, 1)).topNeeded(257));
    assertEquals(0, new TokenSampler(GenerationConfig.sampling(3, 1.0, 1)).topNeeded(50));
  }

  @Test
  void theReducerGraphMatchesJavaOnRandomLogits() throws Exception {
    int rows = 3;
    int positions = 2;
    int vocab = 300;
    float[] logits = new float[rows * positions * vocab];
    java.util.Random rnd = new java.util.Random(4);
    for (int i = 0; i < logits.length; i++) {
      logits[i] = (float) (rnd.nextGaussian() * 4);
    }
    logits[(positions - 1) * vocab + 7] = logits[(positions - 1) * vocab + 3] = 50f; // a tie: 3 first
    try (LogitsReducer reducer = new LogitsReducer(SessionConfig.cpu());
        ai.onnxruntime.OnnxTensor t = ai.onnxruntime.OnnxTensor.createTensor(
            SessionFactory.environment(), java.nio.FloatBuffer.wrap(logits),
            new long[] {rows, positions, vocab})) {
      LogitsReducer.Reduced red = reducer.reduce(t, 10);
      for (int r = 0; r < rows; r++) {
        int last = (r * positions + positions - 1) * vocab; // the last position of row r
        int[] expected = TokenSampler.topK(logits, last, vocab, 10);
        for (int j = 0; j < 10; j++) {
          assertEquals(expected[j], red.ids()[r * 10 + j], "row " + r + ", rank " + j);
          assertEquals(logits[last + expected[j]], red.values()[r * 10 + j], 0f);
        }
        float lp = TokenSampler.logProb(logits, last, vocab, expected[0]);
        assertEquals(lp, red.values()[r * 10] - red.logSumExp()[r], 1e-5);
      }
      assertEquals(3, red.ids()[0], "ties go to the lower id");
      assertEquals(7, red.ids()[1]);
      assertTrue(red.logSumExp()[0] >= 50f);
    }
  }
}
