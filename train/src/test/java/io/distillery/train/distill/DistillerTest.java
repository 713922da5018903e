package io.distillery.train.distill;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.distillery.core.BadInputException;
import io.distillery.export.student.StudentWeights;
import io.distillery.runtime.text.TextTokenizer;
import io.distillery.train.loss.KdLoss;
import io.distillery.train.student.EmbeddingInit;
import io.distillery.train.student.StudentConfig;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import io.distillery.train.gpt.TorchThreads;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The training loop on a toy sentiment rule with a 42-word tokenizer and a tiny student. */
class DistillerTest {
  static {
    // one intra-op thread: tiny models gain nothing from more, and OpenMP spinning on a
    // busy 2-core machine slows them tenfold (only acts if the engine is not started yet)
    TorchThreads.configure(1, 1);
  }
  private static final String[] POSITIVE = {"good", "great", "excellent", "love", "happy", "nice"};
  private static final String[] NEGATIVE = {"bad", "awful", "terrible", "hate", "sad", "poor"};
  private static final String[] NOUNS = {"movie", "food", "service", "phone", "place", "staff"};
  static final StudentConfig TINY = new StudentConfig(1, 16, 2, 32, 16, 42, 2, 8, 0.1);

  private static TextTokenizer tokenizer;
  @TempDir Path dir;
  private final ByteArrayOutputStream logBytes = new ByteArrayOutputStream();
  private final PrintStream log = new PrintStream(logBytes, true, StandardCharsets.UTF_8);

  @BeforeAll
  static void loadTokenizer() throws Exception {
    tokenizer = TextTokenizer.load(Path.of(
        DistillerTest.class.getResource("/io/distillery/train/tiny-tokenizer.json").toURI()));
  }

  @AfterAll
  static void closeTokenizer() {
    tokenizer.close();
  }

  /** "the movie was very good !"-style sentences; the teacher's logit gap is the word balance. */
  static List<DistillExample> examples(int n, long seed, boolean gold) {
    Random rnd = new Random(seed);
    List<DistillExample> out = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      boolean positive = rnd.nextBoolean();
      String[] words = positive ? POSITIVE : NEGATIVE;
      StringBuilder s = new StringBuilder("the " + NOUNS[rnd.nextInt(NOUNS.length)] + " was");
      int count = 1 + rnd.nextInt(2);
      for (int k = 0; k < count; k++) {
        s.append(rnd.nextBoolean() ? " very " : " ").append(words[rnd.nextInt(words.length)]);
      }
      s.append(rnd.nextBoolean() ? " ." : " !");
      float gap = (positive ? 1 : -1) * (1.5f * count + (float) rnd.nextDouble());
      out.add(gold ? DistillExample.ofGold(s.toString(), positive ? 1 : 0)
          : DistillExample.ofTeacher(s.toString(), new float[] {-gap / 2, gap / 2}));
    }
    return out;
  }

  static DistillConfig config(int epochs) {
    return new DistillConfig(epochs, 0, 8, 3e-3, 0.01, 0.1, LrDecay.LINEAR, 1.0, 7,
        KdLoss.kl(2, 0.2), 5, 0, EmbeddingInit.fromScratch());
  }

  @Test
  void learnsTheTeachersRuleAndKeepsTheBestEpoch() {
    DistillResult r = new Distiller(log).distill(examples(96, 1, false),
        Optional.of(examples(48, 2, true)), tokenizer, TINY, config(10), dir);
    assertTrue(r.completed());
    assertFalse(r.stoppedEarly());
    assertEquals(10, r.history().size());
    assertEquals(120, r.steps());
    assertTrue(r.bestDevAccuracy() >= 0.9, "dev accuracy " + r.bestDevAccuracy());
    assertEquals(r.bestDevAccuracy(), r.history().get(r.bestEpoch() - 1).devAccuracy());
    assertTrue(r.history().get(9).trainLoss() < r.history().get(0).trainLoss() / 2,
        "loss should fall: " + r.history());
    assertTrue(r.tokensPerSecond() > 0);
    assertEquals(0, r.skippedSteps());
    String text = logBytes.toString(StandardCharsets.UTF_8);
    assertTrue(text.contains("[distill] step 120/120") && text.contains("tokens/s")
        && text.contains("ETA") && text.contains("dev accuracy"), text);
  }

  @Test
  void aResumedRunEndsWithTheWeightsOfAnUninterruptedOne() {
    List<DistillExample> train = examples(96, 3, false);
    Optional<List<DistillExample>> dev = Optional.of(examples(24, 4, true));
    DistillResult whole = new Distiller(log).distill(train, dev, tokenizer, TINY, config(3),
        dir.resolve("whole"));
    Path split = dir.resolve("split");
    DistillResult first = new Distiller(log).distillUntil(train, dev, tokenizer, TINY, config(3),
        split, 19); // mid-epoch 2, not on a checkpoint interval
    assertFalse(first.completed());
    assertEquals(19, first.steps());
    assertEquals(1, first.history().size());
    DistillResult rest = new Distiller(log).distill(train, dev, tokenizer, TINY, config(3), split);
    assertEquals(19, rest.resumedFromStep());
    assertTrue(rest.completed());
    assertEquals(summary(whole), summary(rest));
    assertEquals(whole.bestEpoch(), rest.bestEpoch());
    assertSameWeights(whole.weights(), rest.weights());
    // a finished run resumes to the same answer without training
    DistillResult again = new Distiller(log).distill(train, dev, tokenizer, TINY, config(3), split);
    assertEquals(36, again.resumedFromStep());
    assertSameWeights(whole.weights(), again.weights());
  }

  @Test
  void stopsEarlyWhenDevAccuracyStallsAndReturnsTheBestEpoch() {
    DistillConfig frozen = config(8).withOptimizer(8, 1e-9, 0, 0, LrDecay.CONSTANT, 1.0)
        .withPatience(2);
    DistillResult r = new Distiller(log).distill(examples(32, 5, false),
        Optional.of(examples(16, 6, true)), tokenizer, TINY, frozen, dir);
    assertTrue(r.stoppedEarly());
    assertTrue(r.completed());
    assertEquals(3, r.history().size());
    assertEquals(1, r.bestEpoch());
    assertEquals(12, r.steps());
  }

  @Test
  void refusesACheckpointOfAnotherRunAndBadExamples() {
    List<DistillExample> train = examples(16, 7, false);
    new Distiller(log).distill(train, Optional.empty(), tokenizer, TINY, config(1), dir);
    BadInputException e = assertThrows(BadInputException.class, () -> new Distiller(log).distill(
        train, Optional.empty(), tokenizer, TINY, config(1).withSeed(8), dir));
    assertTrue(e.getMessage().contains("another run"), e.getMessage());

    List<DistillExample> bad = new ArrayList<>(train);
    bad.set(3, new DistillExample("good", new float[] {1, 2, 3}, 2));
    e = assertThrows(BadInputException.class, () -> new Distiller(log).distill(bad,
        Optional.empty(), tokenizer, TINY, config(1), dir.resolve("bad")));
    assertTrue(e.getMessage().contains("train example 3 has 3 teacher logits, expected 2"),
        e.getMessage());
    e = assertThrows(BadInputException.class, () -> new Distiller(log).distill(train,
        Optional.of(List.of(DistillExample.ofGold("good", 5))), tokenizer, TINY, config(1),
        dir.resolve("bad-dev")));
    assertTrue(e.getMessage().contains("dev example 0 has label 5"), e.getMessage());
    StudentConfig smallVocab = new StudentConfig(1, 16, 2, 32, 16, 10, 2, 8, 0.1);
    e = assertThrows(BadInputException.class, () -> new Distiller(log).distill(train,
        Optional.empty(), tokenizer, smallVocab, config(1), dir.resolve("vocab")));
    assertTrue(e.getMessage().contains("outside the student vocabulary [0, 10)"), e.getMessage());
  }

  @Test
  void teacherEmbeddingsFallBackToScratchOnlyWhenOptional() {
    Path noTable = io.distillery.export.graph.Benchmarks.writeMatMulModel(4, dir.resolve("mm.onnx"));
    List<DistillExample> train = examples(16, 7, false);
    DistillResult r = new Distiller(log).distill(train, Optional.empty(), tokenizer, TINY,
        config(1).withTeacherEmbeddingsIfPresent(noTable), dir.resolve("optional"));
    assertTrue(r.completed());
    String text = logBytes.toString(StandardCharsets.UTF_8);
    assertTrue(text.contains("[distill] token embeddings from scratch") && text.contains("mm.onnx"),
        text);
    BadInputException e = assertThrows(BadInputException.class, () -> new Distiller(log).distill(
        train, Optional.empty(), tokenizer, TINY, config(1).withTeacherEmbeddings(noTable),
        dir.resolve("required")));
    assertTrue(e.getMessage().contains("no initializer named"), e.getMessage());
  }

  private static List<List<Number>> summary(DistillResult r) {
    return r.history().stream().map(e -> List.<Number>of(e.step(), e.trainLoss(), e.devAccuracy()))
        .toList();
  }

  private static void assertSameWeights(StudentWeights a, StudentWeights b) {
    assertEquals(a.tensors().keySet(), b.tensors().keySet());
    a.tensors().forEach((name, t) ->
        assertArrayEquals(t.values(), b.tensor(name).values(), 0f, name));
  }
}
