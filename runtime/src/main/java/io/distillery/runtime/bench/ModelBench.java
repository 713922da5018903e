package io.distillery.runtime.bench;

import io.distillery.core.ConfigException;
import io.distillery.export.inspect.OnnxInspector;
import io.distillery.runtime.batch.BatchConfig;
import io.distillery.runtime.batch.BatchOrder;
import io.distillery.runtime.classify.ClassifierModel;
import io.distillery.runtime.eval.ClassificationReport;
import io.distillery.runtime.eval.Evaluator;
import io.distillery.runtime.session.SessionConfig;
import io.distillery.runtime.session.SessionFactory;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Teacher vs student in one run: latency p50/p95/p99 at batch 1, throughput at batch 32
 * (alternating passes, median), parameter count, size on disk and, with labelled data, accuracy
 * and agreement with the teacher.
 *
 * <p>Latency is timed in alternating blocks of {@value #LATENCY_BLOCK} calls per model, so machine
 * noise hits both models alike while each runs with its own weights in cache, as a served model
 * does. Alternating every single call instead makes every student call follow a teacher call that
 * streamed 90 MB of weights through the caches; that "cold" p50 is reported too, from a shorter
 * strictly alternating pass (here it doubled the student's p50: 0.55 vs 0.28 ms).
 */
public final class ModelBench {
  /** Consecutive batch-1 calls per model before the other model takes over. */
  public static final int LATENCY_BLOCK = 25;
  /** Strictly alternating calls per model for the cold-cache p50. */
  public static final int COLD_RUNS = 100;

  /**
   * @param latencyRuns single-text calls timed per model (after {@code warmup} untimed ones)
   * @param throughputReps timed passes over the texts at batch {@code batchSize}
   */
  public record Config(int threads, int latencyRuns, int warmup, int batchSize, int throughputReps) {
    public Config {
      if (threads < 1 || latencyRuns < 10 || warmup < 0 || batchSize < 1 || throughputReps < 1) {
        throw new ConfigException("bench: threads >= 1, latencyRuns >= 10, warmup >= 0, "
            + "batchSize >= 1 and throughputReps >= 1 are required");
      }
    }

    public static Config defaults() {
      return new Config(1, 300, 30, 32, 5);
    }
  }

  /** One model's figures; accuracy and agreement are NaN without labelled data. */
  public record ModelFigures(
      String role,
      String folder,
      long parameters,
      long modelBytes,
      double p50Ms,
      double p95Ms,
      double p99Ms,
      double p50ColdMs,
      double batchTextsPerSec,
      double accuracy,
      double macroF1,
      double agreementWithTeacher) {}

  /** The comparison; ratios are teacher / student (higher is better for the student). */
  public record Report(
      Config config,
      int texts,
      String data,
      List<ModelFigures> models,
      double latencyP50Speedup,
      double coldLatencyP50Speedup,
      double throughputSpeedup,
      double sizeRatio,
      double accuracyRetained) {}

  private final PrintStream log;

  public ModelBench(PrintStream log) {
    this.log = log;
  }

  /**
   * @param texts texts to time (used when {@code data} is empty)
   * @param data optional labelled JSON Lines (text + label); its texts are then timed too
   */
  public Report run(Config c, Path teacherDir, Path studentDir, List<String> texts, Optional<Path> data) {
    SessionFactory sessions = new SessionFactory();
    SessionConfig session = SessionConfig.cpu().withIntraOpThreads(c.threads());
    BatchConfig single = new BatchConfig(1, BatchOrder.FILE_ORDER);
    BatchConfig batched = new BatchConfig(c.batchSize(), BatchOrder.LENGTH_BUCKETED);
    try (ClassifierModel t1 = ClassifierModel.open(teacherDir, sessions, session, single);
        ClassifierModel s1 = ClassifierModel.open(studentDir, sessions, session, single);
        ClassifierModel tb = ClassifierModel.open(teacherDir, sessions, session, batched);
        ClassifierModel sb = ClassifierModel.open(studentDir, sessions, session, batched)) {
      if (!t1.labels().names().equals(s1.labels().names())) {
        throw new ConfigException("teacher labels " + t1.labels().names()
            + " differ from student labels " + s1.labels().names());
      }
      List<String> timed = texts;
      int[] gold = null;
      if (data.isPresent()) {
        Evaluator.LabelledData d = Evaluator.read(data.get(), "text", "label", t1.labels());
        timed = d.texts();
        gold = d.gold();
      }
      double[][] lat = latencies(c, t1, s1, timed);
      double[][] cold = coldLatencies(c, t1, s1, timed);
      double[] tput = throughput(c, tb, sb, timed);
      int[] teacherPred = ClassificationReport.argmax(tb.classifier().logits(timed));
      int[] studentPred = ClassificationReport.argmax(sb.classifier().logits(timed));
      ModelFigures tf = figures("teacher", teacherDir, lat[0], cold[0], tput[0], gold, teacherPred,
          teacherPred, t1);
      ModelFigures sf = figures("student", studentDir, lat[1], cold[1], tput[1], gold, studentPred,
          teacherPred, s1);
      return new Report(c, timed.size(), data.map(Path::toString).orElse(null), List.of(tf, sf),
          tf.p50Ms() / sf.p50Ms(), tf.p50ColdMs() / sf.p50ColdMs(),
          sf.batchTextsPerSec() / tf.batchTextsPerSec(),
          (double) tf.modelBytes() / sf.modelBytes(),
          gold == null ? Double.NaN : sf.accuracy() / tf.accuracy());
    }
  }

  /**
   * {@code [2][runs]} milliseconds, teacher and student taking turns in blocks of
   * {@link #LATENCY_BLOCK} calls over the same texts (warm-up calls first, untimed).
   */
  private double[][] latencies(Config c, ClassifierModel teacher, ClassifierModel student, List<String> texts) {
    double[][] ms = new double[2][c.latencyRuns()];
    ClassifierModel[] models = {teacher, student};
    for (int first = -c.warmup(); first < c.latencyRuns(); first += LATENCY_BLOCK) {
      int end = Math.min(first + LATENCY_BLOCK, c.latencyRuns());
      for (int m = 0; m < 2; m++) {
        for (int i = first; i < end; i++) {
          double t = timeOne(models[m], texts, i);
          if (i >= 0) {
            ms[m][i] = t;
          }
        }
      }
    }
    log.printf(Locale.ROOT, "[bench] latency: %d single-text runs per model done%n", c.latencyRuns());
    return ms;
  }

  /** {@code [2][min(runs, COLD_RUNS)]} milliseconds, the models alternating call by call. */
  private double[][] coldLatencies(Config c, ClassifierModel teacher, ClassifierModel student,
      List<String> texts) {
    int runs = Math.min(c.latencyRuns(), COLD_RUNS);
    double[][] ms = new double[2][runs];
    for (int i = 0; i < runs; i++) {
      ms[0][i] = timeOne(teacher, texts, i);
      ms[1][i] = timeOne(student, texts, i);
    }
    return ms;
  }

  private static double timeOne(ClassifierModel model, List<String> texts, int i) {
    List<String> one = List.of(texts.get(Math.floorMod(i, texts.size())));
    long t0 = System.nanoTime();
    model.classifier().logits(one);
    return (System.nanoTime() - t0) / 1e6;
  }

  /** Median texts/s at batch size over alternating passes: {teacher, student}. */
  private double[] throughput(Config c, ClassifierModel teacher, ClassifierModel student, List<String> texts) {
    double[][] tps = new double[2][c.throughputReps()];
    ClassifierModel[] models = {teacher, student};
    for (int r = -1; r < c.throughputReps(); r++) {
      for (int m = 0; m < 2; m++) {
        long t0 = System.nanoTime();
        models[m].classifier().logits(texts);
        if (r >= 0) {
          tps[m][r] = texts.size() / ((System.nanoTime() - t0) / 1e9);
        }
      }
    }
    log.printf(Locale.ROOT, "[bench] throughput: %d passes per model done%n", c.throughputReps());
    return new double[] {Stats.median(tps[0]), Stats.median(tps[1])};
  }

  private static ModelFigures figures(String role, Path dir, double[] ms, double[] coldMs,
      double tps, int[] gold, int[] pred, int[] teacherPred, ClassifierModel model) {
    double acc = Double.NaN;
    double f1 = Double.NaN;
    if (gold != null) {
      ClassificationReport r = ClassificationReport.of(model.labels().names(), gold, pred);
      acc = r.accuracy();
      f1 = r.macroF1();
    }
    Path onnx = model.folder().model();
    return new ModelFigures(role, dir.toString(), OnnxInspector.inspect(onnx).parameterCount(),
        size(onnx), Stats.percentile(ms, 50), Stats.percentile(ms, 95), Stats.percentile(ms, 99),
        Stats.percentile(coldMs, 50),
        tps, acc, f1, ClassificationReport.agreement(pred, teacherPred));
  }

  private static long size(Path file) {
    try {
      return Files.size(file);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Texts for timing when no data file is given. */
  public static List<String> defaultTexts() {
    List<String> out = new ArrayList<>();
    String[] base = {
      "The food was great and the staff were friendly.",
      "I would not recommend this phone to anyone.",
      "An absolute waste of two hours.",
      "Works exactly as described, arrived on time.",
      "The plot was thin but the acting carried it.",
      "Terrible service, we waited forty minutes for a cold pizza.",
    };
    for (int i = 0; i < 200; i++) {
      out.add(base[i % base.length]);
    }
    return out;
  }
}
