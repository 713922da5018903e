package io.distillery.runtime.bench;

import io.distillery.core.ConfigException;
import io.distillery.export.graph.ContribOp;
import io.distillery.export.inspect.OnnxInspector;
import io.distillery.export.quantize.DynamicInt8Quantizer;
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
import java.util.Map;
import java.util.Optional;

/**
 * Teacher vs student(s) in one run: latency p50/p95/p99 at batch 1, throughput at batch 32
 * (alternating passes, median), parameter count, size on disk and, with labelled data, accuracy
 * and agreement with the teacher. Further students (e.g. the int8 export of the first) are
 * measured in the same turns and compared with the first as well.
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

  /**
   * The comparison; ratios are teacher / student (higher is better for the student), for the
   * first student; {@code students} has every student's ratios (null in reports written before
   * several students could be benched).
   */
  public record Report(
      Config config,
      int texts,
      String data,
      List<ModelFigures> models,
      double latencyP50Speedup,
      double coldLatencyP50Speedup,
      double throughputSpeedup,
      double sizeRatio,
      double accuracyRetained,
      List<StudentRatios> students) {}

  /**
   * One student against the teacher and against the first student (e.g. an int8 copy against
   * its fp32 model; 1 and 0 for the first student itself).
   *
   * @param p50SpeedupOverTeacher teacher p50 / this student's p50 (batch 1, warm)
   * @param p50SpeedupOverFirst first student's p50 / this student's p50
   * @param agreementWithFirst share of texts where this student's argmax is the first student's
   * @param accuracyPointsVsFirst (accuracy - first student's accuracy) x 100, NaN without labels
   */
  public record StudentRatios(String role, double p50SpeedupOverTeacher,
      double p50SpeedupOverFirst, double throughputOverTeacher, double sizeRatioToTeacher,
      double agreementWithFirst, double accuracyPointsVsFirst) {}

  private final PrintStream log;

  public ModelBench(PrintStream log) {
    this.log = log;
  }

  /** One teacher and one student; see {@link #run(Config, Path, List, List, Optional)}. */
  public Report run(Config c, Path teacherDir, Path studentDir, List<String> texts, Optional<Path> data) {
    return run(c, teacherDir, List.of(studentDir), texts, data);
  }

  /**
   * The teacher and every student, measured in turns in one run.
   *
   * @param studentDirs one or more student folders (e.g. fp32 and its int8 copy)
   * @param texts texts to time (used when {@code data} is empty)
   * @param data optional labelled JSON Lines (text + label); its texts are then timed too
   */
  public Report run(Config c, Path teacherDir, List<Path> studentDirs, List<String> texts,
      Optional<Path> data) {
    if (studentDirs.isEmpty()) {
      throw new ConfigException("bench needs at least one student folder");
    }
    SessionFactory sessions = new SessionFactory();
    SessionConfig session = SessionConfig.cpu().withIntraOpThreads(c.threads());
    BatchConfig single = new BatchConfig(1, BatchOrder.FILE_ORDER);
    BatchConfig batched = new BatchConfig(c.batchSize(), BatchOrder.LENGTH_BUCKETED);
    List<Path> dirs = new ArrayList<>();
    dirs.add(teacherDir);
    dirs.addAll(studentDirs);
    List<ClassifierModel> ones = new ArrayList<>();
    List<ClassifierModel> batches = new ArrayList<>();
    try {
      for (Path d : dirs) {
        ones.add(ClassifierModel.open(d, sessions, session, single));
        batches.add(ClassifierModel.open(d, sessions, session, batched));
      }
      for (int m = 1; m < dirs.size(); m++) {
        if (!ones.get(0).labels().names().equals(ones.get(m).labels().names())) {
          throw new ConfigException("teacher labels " + ones.get(0).labels().names()
              + " differ from student labels " + ones.get(m).labels().names() + " ("
              + dirs.get(m) + ")");
        }
      }
      List<String> timed = texts;
      int[] gold = null;
      if (data.isPresent()) {
        Evaluator.LabelledData d = Evaluator.read(data.get(), "text", "label", ones.get(0).labels());
        timed = d.texts();
        gold = d.gold();
      }
      double[][] lat = latencies(c, ones, timed);
      double[][] cold = coldLatencies(c, ones, timed);
      double[] tput = throughput(c, batches, timed);
      int[][] pred = new int[dirs.size()][];
      for (int m = 0; m < dirs.size(); m++) {
        pred[m] = ClassificationReport.argmax(batches.get(m).classifier().logits(timed));
      }
      List<ModelFigures> figures = new ArrayList<>();
      for (int m = 0; m < dirs.size(); m++) {
        figures.add(figures(role(m, ones.get(m), figures), dirs.get(m), lat[m], cold[m], tput[m],
            gold, pred[m], pred[0], ones.get(m)));
      }
      ModelFigures tf = figures.get(0);
      ModelFigures first = figures.get(1);
      List<StudentRatios> ratios = new ArrayList<>();
      for (int m = 1; m < dirs.size(); m++) {
        ModelFigures sf = figures.get(m);
        ratios.add(new StudentRatios(sf.role(), tf.p50Ms() / sf.p50Ms(),
            first.p50Ms() / sf.p50Ms(), sf.batchTextsPerSec() / tf.batchTextsPerSec(),
            (double) tf.modelBytes() / sf.modelBytes(),
            ClassificationReport.agreement(pred[m], pred[1]),
            100 * (sf.accuracy() - first.accuracy())));
      }
      return new Report(c, timed.size(), data.map(Path::toString).orElse(null), figures,
          tf.p50Ms() / first.p50Ms(), tf.p50ColdMs() / first.p50ColdMs(),
          first.batchTextsPerSec() / tf.batchTextsPerSec(),
          (double) tf.modelBytes() / first.modelBytes(),
          gold == null ? Double.NaN : first.accuracy() / tf.accuracy(), ratios);
    } finally {
      for (ClassifierModel m : ones) {
        m.close();
      }
      for (ClassifierModel m : batches) {
        m.close();
      }
    }
  }

  /**
   * "teacher", "student", then "student int8" for a quantised copy, "student fused" for one in
   * ONNX Runtime's fused kernels (both: "student fused int8"), or "student N".
   */
  private static String role(int index, ClassifierModel model, List<ModelFigures> before) {
    if (index == 0) {
      return "teacher";
    }
    Map<String, String> metadata = OnnxInspector.inspect(model.folder().model()).metadata();
    String role = "student"
        + (metadata.containsKey(ContribOp.METADATA_KEY) ? " fused" : "")
        + (metadata.containsKey(DynamicInt8Quantizer.METADATA_KEY) ? " int8" : "");
    List<String> taken = before.stream().map(ModelFigures::role).toList();
    String unique = role;
    for (int k = 2; taken.contains(unique); k++) {
      unique = role + " " + k;
    }
    return unique;
  }

  /**
   * {@code [models][runs]} milliseconds, the models taking turns in blocks of {@link
   * #LATENCY_BLOCK} calls over the same texts (warm-up calls first, untimed).
   */
  private double[][] latencies(Config c, List<ClassifierModel> models, List<String> texts) {
    double[][] ms = new double[models.size()][c.latencyRuns()];
    for (int first = -c.warmup(); first < c.latencyRuns(); first += LATENCY_BLOCK) {
      int end = Math.min(first + LATENCY_BLOCK, c.latencyRuns());
      for (int m = 0; m < models.size(); m++) {
        for (int i = first; i < end; i++) {
          double t = timeOne(models.get(m), texts, i);
          if (i >= 0) {
            ms[m][i] = t;
          }
        }
      }
    }
    log.printf(Locale.ROOT, "[bench] latency: %d single-text runs per model done%n", c.latencyRuns());
    return ms;
  }

  /** {@code [models][min(runs, COLD_RUNS)]} milliseconds, the models alternating call by call. */
  private double[][] coldLatencies(Config c, List<ClassifierModel> models, List<String> texts) {
    int runs = Math.min(c.latencyRuns(), COLD_RUNS);
    double[][] ms = new double[models.size()][runs];
    for (int i = 0; i < runs; i++) {
      for (int m = 0; m < models.size(); m++) {
        ms[m][i] = timeOne(models.get(m), texts, i);
      }
    }
    return ms;
  }

  private static double timeOne(ClassifierModel model, List<String> texts, int i) {
    List<String> one = List.of(texts.get(Math.floorMod(i, texts.size())));
    long t0 = System.nanoTime();
    model.classifier().logits(one);
    return (System.nanoTime() - t0) / 1e6;
  }

  /** Median texts/s at batch size over alternating passes, per model. */
  private double[] throughput(Config c, List<ClassifierModel> models, List<String> texts) {
    double[][] tps = new double[models.size()][c.throughputReps()];
    for (int r = -1; r < c.throughputReps(); r++) {
      for (int m = 0; m < models.size(); m++) {
        long t0 = System.nanoTime();
        models.get(m).classifier().logits(texts);
        if (r >= 0) {
          tps[m][r] = texts.size() / ((System.nanoTime() - t0) / 1e9);
        }
      }
    }
    log.printf(Locale.ROOT, "[bench] throughput: %d passes per model done%n", c.throughputReps());
    double[] med = new double[models.size()];
    for (int m = 0; m < med.length; m++) {
      med[m] = Stats.median(tps[m]);
    }
    return med;
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
