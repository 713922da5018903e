package io.distillery.genkd.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDScope;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.distillery.core.Json;
import io.distillery.core.StepLog;
import io.distillery.genkd.data.InstructionPair;
import io.distillery.genkd.sample.GptSampler;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;

/**
 * The one loop of every {@link GenKdMethod}: each step draws {@code batchSize} training
 * instructions from (seed, step), gets the responses the method trains on (reference, teacher
 * samples or student samples), runs the method's step(s), appends one JSON line per step with
 * every loss term, logs progress (rate, ETA) to stderr and checkpoints every
 * {@link GenKdConfig#checkpointEvery()} steps. A resumed run reads the same batches and samples as
 * an uninterrupted one.
 */
public final class GenKdTrainer {
  /** The per-step log in the output folder. */
  public static final String LOG_FILE = "genkd.jsonl";
  /** The checkpoint folder in the output folder. */
  public static final String STATE_DIR = "state";
  private static final double LOG_SECONDS = 15;

  private final GenKdConfig config;
  private final PrintStream log;

  /**
   * What a run did.
   *
   * @param startStep the step it began at (non-zero after a resume)
   * @param endStep steps done when it returned
   * @param stepsPerSecond in this run
   * @param lastLoss the student's mean loss over the last (up to) 10 steps
   */
  public record Result(int startStep, int endStep, double stepsPerSecond, double lastLoss) {}

  public GenKdTrainer(GenKdConfig config, PrintStream log) {
    this.config = config;
    this.log = log;
  }

  /** Trains until {@code min(stopAt, steps)} steps are done, resuming from {@code out/state}. */
  public Result train(GenKdModels models, List<InstructionPair> train, Path out, int stopAt) {
    Path state = out.resolve(STATE_DIR);
    Path logFile = out.resolve(LOG_FILE);
    int start = 0;
    if (GenKdCheckpoint.exists(state)) {
      start = GenKdCheckpoint.load(state, models);
      log.printf(Locale.ROOT, "[genkd] resumed from %s at step %d/%d%n", state, start,
          config.steps());
    }
    StepLog.keepSteps(logFile, start);
    GenKdSteps steps = new GenKdSteps(models, config.gradClip());
    GptSampler student = new GptSampler(models.student(), models.manager(), models.eosId());
    GptSampler teacher = new GptSampler(models.teacher(), models.manager(), models.eosId());
    int end = Math.max(start, Math.min(stopAt, config.steps()));
    long t0 = System.nanoTime();
    long lastLog = t0;
    List<Double> recent = new ArrayList<>();
    for (int step = start; step < end; step++) {
      ObjectNode line = step(step, models, steps, student, teacher, train);
      StepLog.append(logFile, line);
      recent.add(line.get("loss").asDouble());
      if (recent.size() > 10) {
        recent.remove(0);
      }
      int done = step + 1;
      if (done % config.checkpointEvery() == 0 || done == end) {
        GenKdCheckpoint.save(state, models, done);
      }
      long now = System.nanoTime();
      if ((now - lastLog) / 1e9 >= LOG_SECONDS || done == end) {
        double rate = (done - start) / ((now - t0) / 1e9);
        log.printf(Locale.ROOT, "[genkd] %s step %d/%d loss %.4f%s %.2f steps/s ETA %s%n",
            config.method().cliName(), done, config.steps(), mean(recent), promptText(line), rate,
            time((config.steps() - done) / Math.max(rate, 1e-9)));
        lastLog = now;
      }
    }
    double secs = (System.nanoTime() - t0) / 1e9;
    return new Result(start, end, (end - start) / Math.max(secs, 1e-9), mean(recent));
  }

  private ObjectNode step(int step, GenKdModels models, GenKdSteps steps, GptSampler student,
      GptSampler teacher, List<InstructionPair> train) {
    SplittableRandom rng = new SplittableRandom(config.seed() * 0x9E3779B97F4A7C15L + step);
    List<int[]> prefixes = new ArrayList<>();
    List<int[]> references = new ArrayList<>();
    for (int i = 0; i < config.batchSize(); i++) {
      InstructionPair p = train.get(rng.nextInt(train.size()));
      prefixes.add(p.prefixIds());
      references.add(p.responseIds());
    }
    GenKdMethod method = config.method();
    List<int[]> responses = switch (method) {
      case SFT, WORD_KD -> references;
      case SEQ_KD -> List.of(teacher.sample(prefixes, config.maxNewTokens(), rng.split()));
      case REVERSE_KL, PROMPT_KD -> List.of(student.sample(prefixes, config.maxNewTokens(),
          rng.split()));
    };
    double lr = GenKdConfig.rateAt(config.learningRate(), config.warmupSteps(), step);
    ObjectNode n = Json.LINE_MAPPER.createObjectNode();
    n.put("step", step + 1);
    n.put("method", method.cliName());
    n.put("lr", lr);
    try (NDScope scope = new NDScope()) {
      ResponseBatch b = ResponseBatch.of(models.manager(), prefixes, responses);
      n.put("response_tokens", b.responseTokens());
      GenKdSteps.StepResult r = switch (method) {
        case SFT, SEQ_KD -> steps.crossEntropy(b, lr);
        case WORD_KD -> steps.forwardKl(b, steps.teacherLogits(b), lr);
        case REVERSE_KL -> steps.reverseKl(b, steps.teacherLogits(b), lr);
        case PROMPT_KD -> {
          double plr = GenKdConfig.rateAt(config.promptLearningRate(), config.warmupSteps(),
              step);
          double w = config.regulariserWeight(step);
          NDArray pt = steps.teacherLogits(b);
          NDArray qs = steps.studentLogits(b);
          GenKdSteps.PromptResult p = steps.promptStep(b, pt, qs, w, plr);
          n.put("prompt_lr", plr);
          n.put("regulariser_weight", w);
          n.put("kl_prompted_to_teacher", p.regulariser());
          n.put("kl_prompted_to_student", p.towardStudent());
          n.put("prompt_loss", p.loss());
          n.put("prompt_grad_norm", p.gradNorm());
          yield steps.reverseKl(b, steps.promptedTeacherLogits(b, false).stopGradient(), lr);
        }
      };
      n.put("loss", r.loss());
      n.put("grad_norm", r.gradNorm());
    }
    return n;
  }

  private static String promptText(ObjectNode line) {
    JsonNode reg = line.get("kl_prompted_to_teacher");
    return reg == null ? "" : String.format(Locale.ROOT, " (prompt: KL to teacher %.4f, to student"
        + " %.4f)", reg.asDouble(), line.get("kl_prompted_to_student").asDouble());
  }

  private static double mean(List<Double> xs) {
    return xs.stream().mapToDouble(Double::doubleValue).average().orElse(Double.NaN);
  }

  static String time(double s) {
    long t = Math.round(s);
    return t >= 3600 ? String.format(Locale.ROOT, "%dh%02dm", t / 3600, (t % 3600) / 60)
        : String.format(Locale.ROOT, "%dm%02ds", t / 60, t % 60);
  }
}
