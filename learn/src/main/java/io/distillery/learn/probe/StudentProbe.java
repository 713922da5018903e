package io.distillery.learn.probe;

import io.distillery.runtime.text.TextTokenizer;
import io.distillery.train.distill.DistillConfig;
import io.distillery.train.distill.DistillExample;
import io.distillery.train.distill.DistillResult;
import io.distillery.train.distill.Distiller;
import io.distillery.train.distill.StudentPredictor;
import io.distillery.train.student.StudentConfig;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * The student a learning loop trains while it synthesizes, so rewards can ask what the student
 * still gets wrong. After each round it is distilled afresh on the corpus so far with a fixed step
 * budget (the seed mixes in the round), which makes it a pure function of the corpus: a resumed
 * run retrains it and gets the same student.
 */
public final class StudentProbe implements AutoCloseable {
  private final TextTokenizer tokenizer;
  private final StudentConfig student;
  private final DistillConfig config;
  private final Path workRoot;
  private final Distiller distiller;
  private StudentPredictor predictor;

  /**
   * @param config the distillation per round (a fixed step budget, no dev set)
   * @param workRoot where each round's checkpoints go while it trains (deleted after)
   */
  public StudentProbe(TextTokenizer tokenizer, StudentConfig student, DistillConfig config,
      Path workRoot, PrintStream log, int threads) {
    this.tokenizer = tokenizer;
    this.student = student;
    this.config = config;
    this.workRoot = workRoot;
    this.distiller = new Distiller(log, threads);
  }

  /** Distils a fresh student on {@code corpus} for round {@code round}. */
  public void train(List<DistillExample> corpus, int round) {
    Path work = workRoot.resolve("probe-" + round);
    deleteTree(work);
    DistillResult r = distiller.distill(corpus, Optional.empty(), tokenizer, student,
        config.withSeed(config.seed() * 1_000_003L + round), work);
    close();
    predictor = new StudentPredictor(r.weights(), student, tokenizer);
    deleteTree(work);
  }

  /** Whether a student has been trained yet. */
  public boolean ready() {
    return predictor != null;
  }

  /** The student's logits {@code [texts, L]}; call only when {@link #ready}. */
  public float[][] logits(List<String> texts) {
    if (predictor == null) {
      throw new IllegalStateException("the student probe has not been trained yet");
    }
    return predictor.logits(texts);
  }

  @Override
  public void close() {
    if (predictor != null) {
      predictor.close();
      predictor = null;
    }
  }

  private static void deleteTree(Path dir) {
    if (!Files.exists(dir)) {
      return;
    }
    try (Stream<Path> walk = Files.walk(dir)) {
      for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
        Files.delete(p);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(dir + ": cannot delete the probe's work folder", e);
    }
  }
}
