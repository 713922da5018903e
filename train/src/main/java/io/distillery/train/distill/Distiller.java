package io.distillery.train.distill;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.nn.Parameter;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import io.distillery.core.BadInputException;
import io.distillery.core.ConfigException;
import io.distillery.core.JobFailedException;
import io.distillery.export.gpt.WeightTensor;
import io.distillery.export.student.StudentWeights;
import io.distillery.runtime.batch.Batch;
import io.distillery.runtime.batch.BatchConfig;
import io.distillery.runtime.batch.BatchOrder;
import io.distillery.runtime.batch.BatchPlan;
import io.distillery.runtime.text.TextTokenizer;
import io.distillery.train.gpt.AdamW;
import io.distillery.train.gpt.TorchThreads;
import io.distillery.train.loss.HardLabels;
import io.distillery.train.loss.KdLoss;
import io.distillery.train.student.EmbeddingInit;
import io.distillery.train.student.StudentClassifier;
import io.distillery.train.student.StudentConfig;
import io.distillery.train.student.TeacherEmbeddings;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Distils a teacher's logits into a {@link StudentClassifier}: the one training loop.
 *
 * <p>Each step takes a length-bucketed batch ({@link EpochPlan}), padded to its longest row, and
 * minimises {@link KdLoss} with AdamW, linear warm-up then decay, and global-norm clipping. Each
 * epoch ends with a dev evaluation when a dev set is given; the best epoch's weights are kept and
 * {@code patience} epochs without improvement stop the run. A checkpoint goes to the work folder
 * every {@code checkpointEvery} steps and at each epoch end; a run that finds one resumes from it
 * and ends with the same weights as an uninterrupted run (weights, moments, step, dev history and
 * best weights are restored; batches and dropout masks are functions of the seed and the step).
 * Progress goes to the log (stderr): step, loss, learning rate, tokens/s, ETA. A step with a
 * non-finite loss or gradient is dropped with a warning (no update); {@value
 * #MAX_CONSECUTIVE_SKIPS} in a row fail the run.
 *
 * <p>Uses the PyTorch engine by name. Intra-op threads: cores by default (1.75x faster than one
 * thread for the default student on an idle 2-core machine), or as given; on a machine other jobs
 * keep busy, one thread is several times faster (see {@link TorchThreads}).
 */
public final class Distiller {
  public static final String ENGINE = "PyTorch";
  private static final double LOG_SECONDS = 10;
  private static final int EVAL_BATCH = 64;
  static final int MAX_CONSECUTIVE_SKIPS = 10;

  private final PrintStream log;
  private final int intraOpThreads;

  /** Logs to {@code log}; PyTorch intra-op threads = cores unless set with {@code -D}. */
  public Distiller(PrintStream log) {
    this(log, 0);
  }

  /**
   * @param intraOpThreads PyTorch intra-op threads, 0 for the default (cores, unless set with
   *     {@code -D}); 1 is far faster on a machine other jobs keep busy, where OpenMP's spinning
   *     threads fight for the cores. Takes effect only if the engine has not started yet.
   */
  public Distiller(PrintStream log, int intraOpThreads) {
    if (intraOpThreads < 0) {
      throw new ConfigException(
          "distill: intraOpThreads must be >= 0 (0 = cores), got " + intraOpThreads);
    }
    this.log = log;
    this.intraOpThreads = intraOpThreads;
  }

  /** Distils with progress on stderr; see {@link #distill}. */
  public static DistillResult run(List<DistillExample> train, Optional<List<DistillExample>> dev,
      TextTokenizer tokenizer, StudentConfig student, DistillConfig config, Path workDir) {
    return new Distiller(System.err).distill(train, dev, tokenizer, student, config, workDir);
  }

  /**
   * Trains a student to the end (or early stop), resuming from {@code workDir}'s checkpoint if
   * there is one.
   *
   * @param train examples with teacher logits {@code [L]} (and labels for {@link HardLabels#GIVEN})
   * @param dev real examples with gold labels, for model selection and early stopping
   * @param tokenizer the teacher's tokenizer (the student shares its vocabulary)
   * @param workDir where checkpoints go
   * @throws BadInputException for empty sets, wrong logit counts, labels out of range, token ids
   *     outside the vocabulary, or a checkpoint from another run
   */
  public DistillResult distill(List<DistillExample> train, Optional<List<DistillExample>> dev,
      TextTokenizer tokenizer, StudentConfig student, DistillConfig config, Path workDir) {
    return distillUntil(train, dev, tokenizer, student, config, workDir, Integer.MAX_VALUE);
  }

  /**
   * As {@link #distill} but returns after {@code stopAtStep} steps in total (with a checkpoint
   * written there and {@code completed = false}) if the run is not over by then: bounds one
   * call's time; a later call resumes.
   */
  public DistillResult distillUntil(List<DistillExample> train,
      Optional<List<DistillExample>> dev, TextTokenizer tokenizer, StudentConfig student,
      DistillConfig config, Path workDir, int stopAtStep) {
    boolean givenLabels =
        config.loss().hardLabels() == HardLabels.GIVEN && config.loss().alpha() > 0;
    EncodedExamples trainSet =
        EncodedExamples.encode(train, tokenizer, student, "train", true, givenLabels);
    Optional<EncodedExamples> devSet = dev.map(
        d -> EncodedExamples.encode(d, tokenizer, student, "dev", false, true));
    int total = config.totalSteps(trainSet.size());
    int perEpoch = config.stepsPerEpoch(trainSet.size());
    int epochs = (total + perEpoch - 1) / perEpoch;
    String fingerprint = fingerprint(student, config, trainSet, devSet);

    if (intraOpThreads > 0) {
      TorchThreads.configure(intraOpThreads, 1);
    } else {
      TorchThreads.configureDefaults();
    }
    Engine engine = Engine.getEngine(ENGINE);
    try (NDManager manager = NDManager.newBaseManager(Device.cpu(), ENGINE)) {
      engine.setRandomSeed(seed32(config.seed(), -1));
      StudentClassifier model = new StudentClassifier(student);
      model.initialize(manager);
      AdamW optimizer = new AdamW(model.namedParameters(), manager, config.weightDecay());
      RunState s;
      int resumedFrom = 0;
      if (DistillCheckpoint.exists(workDir)) {
        s = DistillCheckpoint.load(workDir, fingerprint, model, optimizer);
        resumedFrom = s.step;
        log.printf(Locale.ROOT, "[distill] resumed from %s at step %d/%d%n",
            DistillCheckpoint.file(workDir), s.step, total);
      } else {
        s = new RunState();
        initEmbeddings(model, config.embeddingInit());
      }
      log.printf(Locale.ROOT, "[distill] student %s, %,d parameters; %d train examples, %d dev;"
          + " %d steps (%d epochs of %d), batch %d%n", student.architecture().summary(),
          student.parameterCount(), trainSet.size(), devSet.map(EncodedExamples::size).orElse(0),
          total, epochs, perEpoch, config.batchSize());

      ParameterStore ps = new ParameterStore(manager, false);
      int[] lengths = trainSet.lengths();
      int planEpoch = -1;
      List<int[]> plan = List.of();
      long runStart = System.nanoTime();
      double secondsBefore = s.trainSeconds;
      long tokensBefore = s.tokens;
      long lastLog = runStart;
      int end = Math.min(total, stopAtStep);
      while (s.step < end && !s.stoppedEarly) {
        int epoch = s.step / perEpoch;
        if (epoch != planEpoch) {
          plan = EpochPlan.batches(lengths, config.batchSize(), config.seed(), epoch);
          planEpoch = epoch;
        }
        double lr = config.learningRateAt(s.step, total);
        engine.setRandomSeed(seed32(config.seed(), s.step)); // dropout depends on the step only
        double loss;
        try (NDScope scope = new NDScope()) {
          EncodedExamples.BatchArrays b = trainSet.arrays(manager, plan.get(s.step % perEpoch));
          NDArray total32;
          try (GradientCollector gc = engine.newGradientCollector()) {
            NDArray logits = model.logits(ps, b.ids(), b.mask(), true);
            total32 = config.loss().evaluate(logits, b.teacher(), b.labels()).total();
            gc.backward(total32);
          }
          double norm = optimizer.clipGradients(config.gradClip());
          loss = total32.getFloat();
          if (Double.isFinite(loss) && Double.isFinite(norm)) {
            optimizer.step(lr);
            s.consecutiveSkips = 0;
          } else {
            skip(model, s, loss, norm, lr);
          }
          s.tokens += b.realTokens();
        }
        s.step++;
        if (Double.isFinite(loss)) {
          s.epochLossSum += loss;
          s.epochLossCount++;
        }
        long now = System.nanoTime();
        s.trainSeconds = secondsBefore + (now - runStart) / 1e9;
        boolean epochEnd = s.step % perEpoch == 0 || s.step == total;
        if (epochEnd) {
          endEpoch(model, manager, devSet, s, config, epochs);
        }
        boolean last = s.step == end || s.stoppedEarly;
        if (s.step % config.checkpointEvery() == 0 || epochEnd || last) {
          DistillCheckpoint.save(workDir, fingerprint, model, optimizer, s);
        }
        if ((now - lastLog) / 1e9 >= LOG_SECONDS || last) {
          double rate = (s.tokens - tokensBefore) / Math.max(1e-9, (now - runStart) / 1e9);
          double stepRate = (s.step - resumedFrom) / Math.max(1e-9, (now - runStart) / 1e9);
          log.printf(Locale.ROOT, "[distill] step %d/%d epoch %d/%d loss %.4f lr %.2e %.0f tokens/s"
              + " elapsed %s ETA %s%n", s.step, total, epoch + 1, epochs, shownLoss(s), lr, rate,
              time(s.trainSeconds), time((total - s.step) / Math.max(1e-9, stepRate)));
          lastLog = now;
        }
      }
      boolean completed = s.step >= total || s.stoppedEarly;
      StudentWeights weights = completed && s.best != null
          ? toWeights(model, student, s.best) : model.weights();
      int bestEpoch = s.best != null ? s.bestEpoch : s.history.size();
      double tokPerSec = s.tokens / Math.max(1e-9, s.trainSeconds);
      return new DistillResult(weights, s.history, bestEpoch, s.bestAccuracy, s.step, total,
          s.stoppedEarly, completed, resumedFrom, s.trainSeconds, tokPerSec, s.skippedSteps);
    }
  }

  /**
   * Drops a step whose loss or gradients are not finite: zeroes the gradients, applies no update,
   * logs the parameters whose gradients went bad; fails after {@value #MAX_CONSECUTIVE_SKIPS} in a
   * row (then the run diverged rather than hit one bad batch).
   */
  private void skip(StudentClassifier model, RunState s, double loss, double norm, double lr) {
    List<String> bad = new ArrayList<>();
    for (Map.Entry<String, Parameter> e : model.namedParameters().entrySet()) {
      NDArray g = e.getValue().getArray().getGradient();
      if (!Float.isFinite(g.abs().sum().getFloat())) {
        bad.add(e.getKey());
      }
      g.set(new NDIndex("..."), 0f); // NaN * 0 is NaN: overwrite instead
    }
    s.skippedSteps++;
    s.consecutiveSkips++;
    log.printf(Locale.ROOT, "[distill] WARNING step %d skipped: loss %s, gradient norm %s,"
        + " non-finite gradients in %s%n", s.step + 1, loss, norm, bad);
    if (s.consecutiveSkips >= MAX_CONSECUTIVE_SKIPS) {
      throw new JobFailedException(String.format(Locale.ROOT, "distill: %d steps in a row up to"
          + " step %d had a non-finite loss or gradient (learning rate %.2e); lower the learning"
          + " rate or the temperature and rerun in a new work folder", s.consecutiveSkips,
          s.step + 1, lr));
    }
  }

  /** The current epoch's mean loss, or the last finished epoch's right after it ended. */
  private static double shownLoss(RunState s) {
    return s.epochLossCount > 0 || s.history.isEmpty() ? s.epochLoss()
        : s.history.get(s.history.size() - 1).trainLoss();
  }

  /** Records the epoch, evaluates on dev, keeps the best weights, decides on early stopping. */
  private void endEpoch(StudentClassifier model, NDManager manager,
      Optional<EncodedExamples> devSet, RunState s, DistillConfig config, int epochs) {
    int epoch = s.history.size() + 1;
    double acc = devSet.map(d -> accuracy(model, manager, d)).orElse(Double.NaN);
    s.history.add(new EpochRecord(epoch, s.step, s.epochLoss(), acc, s.trainSeconds));
    s.epochLossSum = 0;
    s.epochLossCount = 0;
    if (devSet.isPresent()) {
      if (s.best == null || acc > s.bestAccuracy) {
        s.bestAccuracy = acc;
        s.bestEpoch = epoch;
        s.badEpochs = 0;
        s.best = new ArrayList<>();
        for (Parameter p : model.namedParameters().values()) {
          s.best.add(p.getArray().toFloatArray());
        }
      } else {
        s.badEpochs++;
        s.stoppedEarly = config.patience() > 0 && s.badEpochs >= config.patience();
      }
    }
    log.printf(Locale.ROOT, "[distill] epoch %d/%d: train loss %.4f, dev accuracy %.4f (best %.4f"
        + " at epoch %d)%s%n", epoch, epochs, s.history.get(epoch - 1).trainLoss(), acc,
        s.bestAccuracy, s.bestEpoch, s.stoppedEarly ? "; early stop" : "");
  }

  /** Accuracy of the model's argmax against the set's labels (no dropout, no gradients). */
  static double accuracy(StudentClassifier model, NDManager manager, EncodedExamples set) {
    ParameterStore ps = new ParameterStore(manager, false);
    BatchPlan plan =
        BatchPlan.of(set.lengths(), new BatchConfig(EVAL_BATCH, BatchOrder.LENGTH_BUCKETED));
    int correct = 0;
    for (Batch batch : plan.batches()) {
      try (NDScope scope = new NDScope()) {
        EncodedExamples.BatchArrays b = set.arrays(manager, batch.rows());
        long[] predicted = model.logits(ps, b.ids(), b.mask(), false).argMax(-1).toLongArray();
        for (int k = 0; k < predicted.length; k++) {
          correct += predicted[k] == set.label(batch.rows()[k]) ? 1 : 0;
        }
      }
    }
    return correct / (double) set.size();
  }

  private void initEmbeddings(StudentClassifier model, EmbeddingInit init) {
    if (init instanceof EmbeddingInit.FromTeacher t) {
      TeacherEmbeddings.Table table;
      try {
        table = TeacherEmbeddings.read(t.teacherOnnx());
      } catch (BadInputException e) {
        if (t.required()) {
          throw e;
        }
        log.printf(Locale.ROOT, "[distill] token embeddings from scratch: %s%n", e.getMessage());
        return;
      }
      TeacherEmbeddings.Report r = TeacherEmbeddings.initialize(model, table, t.rms());
      log.printf(Locale.ROOT, "[distill] token embeddings from the teacher: %s (%s)%n",
          r.outcome(), r.detail());
    }
  }

  private static StudentWeights toWeights(StudentClassifier model, StudentConfig config,
      List<float[]> values) {
    Map<String, WeightTensor> out = new LinkedHashMap<>();
    int i = 0;
    for (Map.Entry<String, Parameter> e : model.namedParameters().entrySet()) {
      out.put(e.getKey(), new WeightTensor(e.getValue().getArray().getShape().getShape(),
          values.get(i++)));
    }
    return new StudentWeights(config.architecture(), out);
  }

  private static String fingerprint(StudentConfig student, DistillConfig config,
      EncodedExamples train, Optional<EncodedExamples> dev) {
    String text = student + "|" + config.withCheckpointEvery(1) + "|" + train.fingerprint() + "|"
        + dev.map(EncodedExamples::fingerprint).orElse("no dev");
    try {
      byte[] h = MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(h);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("no SHA-256 in this JVM", e);
    }
  }

  /** The engine's int seed for step {@code step} (-1 = weight initialisation). */
  static int seed32(long seed, int step) {
    return (int) EpochPlan.mix(seed, 1_000_003L + step) & 0x7fffffff;
  }

  private static String time(double s) {
    long t = Math.round(s);
    return t >= 3600 ? String.format(Locale.ROOT, "%dh%02dm", t / 3600, (t % 3600) / 60)
        : String.format(Locale.ROOT, "%dm%02ds", t / 60, t % 60);
  }
}
