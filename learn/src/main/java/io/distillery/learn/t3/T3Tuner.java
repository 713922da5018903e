package io.distillery.learn.t3;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.distillery.core.Json;
import io.distillery.core.Sha256;
import io.distillery.core.StepLog;
import io.distillery.learn.gpt.GeneratorFolder;
import io.distillery.learn.gpt.GptPolicy;
import io.distillery.learn.reward.NoveltyIndex;
import io.distillery.learn.reward.Reward;
import io.distillery.learn.reward.RewardTerms;
import io.distillery.learn.reward.TeacherLogits;
import io.distillery.runtime.classify.Logits;
import io.distillery.runtime.generate.LmTokenizer;
import io.distillery.synth.filter.Filters;
import io.distillery.synth.prompt.CorpusRewritePrompts;
import io.distillery.synth.prompt.Prompt;
import io.distillery.synth.source.ContinuationCutter;
import io.distillery.synth.source.GenerationSettings;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;

/**
 * DFKD-T3 generator tuning: general-corpus sentences plus an intended label go to the generator
 * as {@link CorpusRewritePrompts}; the generator (a {@link GptPolicy} initialised from the
 * generator folder) writes a continuation, {@link ContinuationCutter} cuts it to one text, the
 * length / repetition filters apply (a failed text gets the filter penalty), the teacher labels
 * the rest and {@link Reward} scores it (specificity + novelty against the texts accepted so far,
 * + disagreement when a student probe is given). Advantage = reward − the intended label's moving
 * baseline; one REINFORCE step per batch with β·KL to the original generator.
 *
 * <p>Resumable: a checkpoint every {@link T3Config#checkpointEvery()} steps under
 * {@code out/tuning-state}; step s draws from a generator seeded by (seed, s), so an interrupted
 * run resumed from its checkpoint ends with the same weights as an uninterrupted one. Each step
 * appends a line to {@code out/tuning.jsonl} and logs to {@code log}. At the end {@code out} is an
 * ordinary generator folder (model.onnx with the KV cache, tokenizer.json, config.json,
 * generation_config.json) with {@code recipe.json} holding the settings and the reward curve.
 */
public final class T3Tuner {
  /** The file of per-step records in the output folder. */
  public static final String LOG_FILE = "tuning.jsonl";
  /** The checkpoint folder inside the output folder. */
  public static final String STATE_DIR = "tuning-state";

  private final T3Config config;
  private final PrintStream log;
  private final ContinuationCutter cutter;

  /**
   * What a run did.
   *
   * @param startStep the step it began at (non-zero after a resume)
   * @param endStep steps done when it returned
   * @param complete whether all {@link T3Config#steps()} are done (then the folder was written)
   * @param stepsPerSecond steps per second in this run
   * @param outDir the output folder
   * @param summary reward terms, teacher agreement and distinct-2 over the first and the last
   *     steps of the whole run (up to 10 each), from {@code tuning.jsonl}
   */
  public record Result(int startStep, int endStep, boolean complete, double stepsPerSecond,
      Path outDir, ObjectNode summary) {}

  public T3Tuner(T3Config config, PrintStream log) {
    this.config = config;
    this.log = log;
    GenerationSettings cut = GenerationSettings.defaults();
    this.cutter = new ContinuationCutter(cut.cutMinChars(), cut.cutMaxChars(), List.of());
  }

  /** {@link #tune(Path, TeacherLogits, TeacherLogits, CorpusRewritePrompts, Path, int)} to the end. */
  public Result tune(Path generatorDir, TeacherLogits teacher, TeacherLogits student,
      CorpusRewritePrompts prompts, Path outDir) {
    return tune(generatorDir, teacher, student, prompts, outDir, Integer.MAX_VALUE);
  }

  /**
   * Tunes until {@code min(stopAt, steps)} steps are done, resuming from {@code out/tuning-state}
   * when it holds a checkpoint, and writes the tuned generator folder once all steps are done.
   *
   * @param teacher the teacher's logits, labels in the task's order
   * @param student a student probe for the disagreement term, or null
   */
  public Result tune(Path generatorDir, TeacherLogits teacher, TeacherLogits student,
      CorpusRewritePrompts prompts, Path outDir, int stopAt) {
    GeneratorFolder gen = GeneratorFolder.read(generatorDir);
    int labels = prompts.task().numLabels();
    Path stateDir = outDir.resolve(STATE_DIR);
    Path logFile = outDir.resolve(LOG_FILE);
    Reward reward = new Reward(config.rewardWeights());
    Filters filters = new Filters(config.filters());
    try (GptPolicy policy = GptPolicy.open(gen, config.policySettings());
        LmTokenizer tok = LmTokenizer.load(gen.tokenizerFile())) {
      double[] baselines = new double[labels];
      boolean[] hasBaseline = new boolean[labels];
      List<String> accepted = new ArrayList<>();
      int start = 0;
      if (T3Checkpoint.exists(stateDir)) {
        T3Checkpoint.State s = T3Checkpoint.load(stateDir, policy, config, labels);
        start = s.step();
        baselines = s.baselines();
        hasBaseline = s.hasBaseline();
        accepted = s.accepted();
        log.printf(Locale.ROOT, "[t3] resumed from %s at step %d/%d%n", stateDir, start,
            config.steps());
      }
      StepLog.keepSteps(logFile, start);
      NoveltyIndex novelty = new NoveltyIndex();
      accepted.forEach(novelty::add);
      int end = Math.max(start, Math.min(stopAt, config.steps()));
      long t0 = System.nanoTime();
      for (int step = start; step < end; step++) {
        ObjectNode line = step(step, policy, tok, prompts, teacher, student, reward, filters,
            novelty, accepted, baselines, hasBaseline);
        StepLog.append(logFile, line);
        int done = step + 1;
        if (done % config.checkpointEvery() == 0 || done == end) {
          T3Checkpoint.save(stateDir, policy, config, new T3Checkpoint.State(done, baselines,
              hasBaseline, accepted));
        }
        double secs = (System.nanoTime() - t0) / 1e9;
        double rate = (done - start) / secs;
        log.printf(Locale.ROOT, "[t3] step %d/%d reward %.3f (spec %.3f dis %.3f nov %.3f filtered"
                + " %.2f) kl %.3f agree %.2f labels %s distinct-2 %.2f words %.1f %.2f steps/s"
                + " ETA %s%n", done, config.steps(), line.get("reward").asDouble(),
            line.get("specificity").asDouble(), line.get("disagreement").asDouble(),
            line.get("novelty").asDouble(), line.get("filtered").asDouble(),
            line.get("kl").asDouble(), line.get("agreement").asDouble(),
            line.get("teacher_label_share"), line.get("distinct2").asDouble(),
            line.get("mean_words").asDouble(), rate,
            time((config.steps() - done) / Math.max(rate, 1e-9)));
      }
      double secs = (System.nanoTime() - t0) / 1e9;
      List<JsonNode> curve = readLog(logFile);
      ObjectNode summary = summary(curve);
      boolean complete = end == config.steps();
      if (complete) {
        export(gen, policy, curve, summary, outDir);
      }
      return new Result(start, end, complete, (end - start) / Math.max(secs, 1e-9), outDir,
          summary);
    }
  }

  private ObjectNode step(int step, GptPolicy policy, LmTokenizer tok,
      CorpusRewritePrompts prompts, TeacherLogits teacher, TeacherLogits student, Reward reward,
      Filters filters, NoveltyIndex novelty, List<String> accepted, double[] baselines,
      boolean[] hasBaseline) {
    SplittableRandom rng = new SplittableRandom(config.seed() * 0x9E3779B97F4A7C15L + step);
    List<Prompt> batch = prompts.next(config.batchSize(), rng);
    int room = policy.config().context() - config.maxNewTokens();
    List<int[]> prefixes = new ArrayList<>();
    for (Prompt p : batch) {
      int[] ids = Arrays.stream(tok.encode(p.text())).mapToInt(Math::toIntExact).toArray();
      prefixes.add(ids.length > room ? Arrays.copyOfRange(ids, ids.length - room, ids.length) : ids);
    }
    GptPolicy.Samples s = policy.sample(prefixes, config.maxNewTokens(), rng.split());
    int n = batch.size();
    String[] texts = new String[n];
    List<int[]> kept = new ArrayList<>();
    List<Integer> passed = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      int[] y = s.tokens()[i];
      int len = y.length > 0 && y[y.length - 1] == policy.eosId() ? y.length - 1 : y.length;
      String raw = decode(tok, y, len);
      ContinuationCutter.Cut cut = cutter.cut(raw);
      texts[i] = cut.text();
      int k = tokensCovering(tok, y, len, cut.end());
      // credit the end-of-text token too when the text ran to it
      kept.add(k == len && len < y.length ? y : Arrays.copyOf(y, k));
      if (filters.screen(texts[i]).passed()) {
        passed.add(i);
      }
    }
    List<String> passedTexts = passed.stream().map(i -> texts[i]).toList();
    float[][] tl = passedTexts.isEmpty() ? new float[0][] : teacher.logits(passedTexts);
    float[][] sl = student == null || passedTexts.isEmpty() ? null : student.logits(passedTexts);
    RewardTerms[] terms = new RewardTerms[n];
    int[] teacherLabel = new int[n];
    Arrays.fill(teacherLabel, -1);
    for (int j = 0; j < passed.size(); j++) {
      int i = passed.get(j);
      double nov = novelty.novelty(texts[i]);
      terms[i] = reward.score(tl[j], sl == null ? null : sl[j], batch.get(i).intendedLabel(), nov);
      teacherLabel[i] = Logits.argmax(tl[j]);
      novelty.add(texts[i]);
      accepted.add(texts[i]);
    }
    for (int i = 0; i < n; i++) {
      if (terms[i] == null) {
        terms[i] = reward.filtered();
      }
    }
    double[] adv = advantages(batch, terms, baselines, hasBaseline);
    GptPolicy.UpdateStats u = policy.update(prefixes, kept, adv);
    return record(step, batch, texts, terms, teacherLabel, u, prompts.task().numLabels());
  }

  /** A = r − b[label]; then each label's baseline moves toward its batch mean. */
  private double[] advantages(List<Prompt> batch, RewardTerms[] terms, double[] baselines,
      boolean[] hasBaseline) {
    int labels = baselines.length;
    double[] sum = new double[labels];
    int[] count = new int[labels];
    for (int i = 0; i < terms.length; i++) {
      sum[batch.get(i).intendedLabel()] += terms[i].total();
      count[batch.get(i).intendedLabel()]++;
    }
    for (int l = 0; l < labels; l++) {
      if (!hasBaseline[l] && count[l] > 0) {
        baselines[l] = sum[l] / count[l];
        hasBaseline[l] = true;
      }
    }
    double[] adv = new double[terms.length];
    for (int i = 0; i < terms.length; i++) {
      adv[i] = terms[i].total() - baselines[batch.get(i).intendedLabel()];
    }
    for (int l = 0; l < labels; l++) {
      if (count[l] > 0) {
        baselines[l] = config.baselineDecay() * baselines[l]
            + (1 - config.baselineDecay()) * sum[l] / count[l];
      }
    }
    return adv;
  }

  private static ObjectNode record(int step, List<Prompt> batch, String[] texts,
      RewardTerms[] terms, int[] teacherLabel, GptPolicy.UpdateStats u, int labels) {
    double total = 0;
    double spec = 0;
    double dis = 0;
    double nov = 0;
    int filtered = 0;
    int agree = 0;
    double words = 0;
    int[] share = new int[labels];
    List<String> kept = new ArrayList<>();
    for (int i = 0; i < terms.length; i++) {
      total += terms[i].total();
      if (terms[i].filtered()) {
        filtered++;
        continue;
      }
      spec += terms[i].specificity();
      dis += terms[i].disagreement();
      nov += terms[i].novelty();
      share[teacherLabel[i]]++;
      agree += teacherLabel[i] == batch.get(i).intendedLabel() ? 1 : 0;
      words += NoveltyIndex.words(texts[i]).size();
      kept.add(texts[i]);
    }
    int ok = terms.length - filtered;
    ObjectNode n = Json.LINE_MAPPER.createObjectNode();
    n.put("step", step + 1);
    n.put("reward", total / terms.length);
    n.put("specificity", ok == 0 ? 0 : spec / ok);
    n.put("disagreement", ok == 0 ? 0 : dis / ok);
    n.put("novelty", ok == 0 ? 0 : nov / ok);
    n.put("filtered", filtered / (double) terms.length);
    n.put("agreement", ok == 0 ? 0 : agree / (double) ok);
    ArrayNode sh = n.putArray("teacher_label_share");
    for (int c : share) {
      sh.add(ok == 0 ? 0 : Math.round(1000.0 * c / ok) / 1000.0);
    }
    n.put("distinct2", distinct2(kept));
    n.put("mean_words", ok == 0 ? 0 : words / ok);
    n.put("kl", u.klToStart());
    n.put("entropy", u.entropy());
    n.put("loss", u.loss());
    n.put("grad_norm", u.gradNorm());
    n.put("tokens", u.tokens());
    n.put("example", kept.isEmpty() ? "" : kept.get(0));
    return n;
  }

  /** Distinct word bigrams / all word bigrams over the texts (0 when there are none). */
  public static double distinct2(List<String> texts) {
    Set<String> distinct = new HashSet<>();
    int all = 0;
    for (String t : texts) {
      List<String> w = NoveltyIndex.words(t);
      for (int i = 1; i < w.size(); i++) {
        distinct.add(w.get(i - 1) + " " + w.get(i));
        all++;
      }
    }
    return all == 0 ? 0 : distinct.size() / (double) all;
  }

  private static String decode(LmTokenizer tok, int[] y, int len) {
    long[] ids = new long[len];
    for (int i = 0; i < len; i++) {
      ids[i] = y[i];
    }
    return tok.decode(ids);
  }

  /** Fewest leading tokens whose decoded text reaches {@code chars} characters. */
  private static int tokensCovering(LmTokenizer tok, int[] y, int len, int chars) {
    int lo = 0;
    int hi = len;
    while (lo < hi) {
      int mid = (lo + hi) >>> 1;
      if (decode(tok, y, mid).length() >= chars) {
        hi = mid;
      } else {
        lo = mid + 1;
      }
    }
    return lo;
  }

  private void export(GeneratorFolder gen, GptPolicy policy, List<JsonNode> curve,
      ObjectNode summary, Path outDir) {
    String sourceSha = Sha256.of(gen.modelFile());
    Map<String, String> meta = new LinkedHashMap<>();
    meta.put("distillery.recipe", "dfkd-t3-tuned-generator");
    meta.put("distillery.tuned_from_sha256", sourceSha);
    meta.put("distillery.tuning_steps", Integer.toString(config.steps()));
    meta.put("distillery.tuning", config.toJson().toString());
    ObjectNode r = Json.MAPPER.createObjectNode();
    r.put("recipe", "dfkd-t3-tuned-generator");
    r.put("method", "DFKD-T3: REINFORCE on teacher reward terms with beta*KL to the original");
    r.put("source", gen.dir().toString());
    r.put("sourceModelSha256", sourceSha);
    r.putPOJO("model", gen.config());
    r.set("tuning", config.toJson());
    r.set("summary", summary);
    ArrayNode c = r.putArray("rewardCurve");
    for (JsonNode line : curve) {
      ObjectNode p = c.addObject();
      for (String k : new String[] {"step", "reward", "specificity", "disagreement", "novelty",
          "filtered", "agreement", "distinct2", "mean_words", "kl"}) {
        p.set(k, line.get(k));
      }
    }
    gen.writeTuned(outDir, policy.weights(), meta, r);
    log.printf(Locale.ROOT, "[t3] wrote %s (%d steps)%n", outDir, config.steps());
  }

  /** Means of the first and the last (up to) 10 steps. */
  static ObjectNode summary(List<JsonNode> curve) {
    ObjectNode n = Json.MAPPER.createObjectNode();
    n.put("steps", curve.size());
    int w = Math.min(10, curve.size());
    n.set("start", mean(curve.subList(0, w)));
    n.set("end", mean(curve.subList(curve.size() - w, curve.size())));
    return n;
  }

  private static ObjectNode mean(List<JsonNode> lines) {
    ObjectNode n = Json.MAPPER.createObjectNode();
    for (String k : new String[] {"reward", "specificity", "disagreement", "novelty", "filtered",
        "agreement", "distinct2", "mean_words", "kl"}) {
      n.put(k, lines.stream().mapToDouble(l -> l.path(k).asDouble()).average().orElse(0));
    }
    return n;
  }

  private static List<JsonNode> readLog(Path file) {
    List<JsonNode> out = new ArrayList<>();
    if (!Files.isRegularFile(file)) {
      return out;
    }
    try {
      for (String l : Files.readAllLines(file, StandardCharsets.UTF_8)) {
        if (!l.isBlank()) {
          out.add(Json.LINE_MAPPER.readTree(l));
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(file + ": cannot read", e);
    }
    return out;
  }

  private static String time(double s) {
    long t = Math.round(s);
    return t >= 3600 ? String.format(Locale.ROOT, "%dh%02dm", t / 3600, (t % 3600) / 60)
        : String.format(Locale.ROOT, "%dm%02ds", t / 60, t % 60);
  }
}
