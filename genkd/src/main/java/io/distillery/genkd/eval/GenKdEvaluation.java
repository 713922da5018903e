package io.distillery.genkd.eval;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.training.ParameterStore;
import io.distillery.core.ConfigException;
import io.distillery.genkd.data.InstructionPair;
import io.distillery.genkd.data.InstructionSet;
import io.distillery.genkd.sample.GptSampler;
import io.distillery.genkd.loss.TokenKl;
import io.distillery.genkd.train.ResponseBatch;
import io.distillery.learn.gpt.GeneratorFolder;
import io.distillery.runtime.bench.Stats;
import io.distillery.runtime.generate.Batching;
import io.distillery.runtime.generate.CacheMode;
import io.distillery.runtime.generate.CausalLm;
import io.distillery.runtime.generate.Generation;
import io.distillery.runtime.generate.GenerationConfig;
import io.distillery.runtime.generate.LmTokenizer;
import io.distillery.runtime.generate.StopCondition;
import io.distillery.runtime.session.SessionConfig;
import io.distillery.runtime.session.SessionFactory;
import io.distillery.train.gpt.GptModel;
import io.distillery.train.gpt.GptWeights;
import io.distillery.train.gpt.TorchThreads;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;

/**
 * Scores a teacher and students on the held-out instruction pairs ({@link InstructionSet}, never
 * trained on): each model (its exported ONNX weights, sampled in DJL with the KV cache, see
 * {@link #samples}) samples one response per prefix per sampling seed at temperature 1 without
 * top-k/top-p;
 * ROUGE-L vs the reference continuation and vs the teacher's samples (max over the teacher's
 * samples of the other seeds for the teacher itself, of all seeds for a student); held-out
 * perplexity of the reference responses (DJL forward of the same weights); and new tokens/s at
 * batch 16 with the KV cache of the teacher and the first student, alternated in one run.
 */
public final class GenKdEvaluation {
  private static final int BENCH_BATCH = 16;
  private static final int BENCH_TOKENS = 64;

  /**
   * @param prefixes held-out prefixes scored
   * @param samplingSeeds one sample per prefix per seed
   * @param maxNewTokens response budget (the references are cut to it too)
   * @param benchReps timed runs per model; the median is reported
   */
  public record Settings(int prefixes, List<Long> samplingSeeds, int maxNewTokens, int benchReps) {
    public Settings {
      if (prefixes < 1 || samplingSeeds.isEmpty() || maxNewTokens < 1 || benchReps < 0) {
        throw new ConfigException("evaluation needs >= 1 prefix, sampling seed and new token and"
            + " >= 0 bench repetitions (0 = no bench), got " + prefixes + ", " + samplingSeeds.size() + ", "
            + maxNewTokens + ", " + benchReps);
      }
      samplingSeeds = List.copyOf(samplingSeeds);
    }
  }

  /** A model to score: a label (runs with the same label are training seeds of one method). */
  public record Entry(String label, Path dir) {}

  /**
   * One model's scores (means over prefixes and sampling seeds).
   *
   * @param rougeReferencePerSeed mean ROUGE-L vs reference for each sampling seed
   * @param samples prefixes x sampling seeds
   */
  public record ModelScore(String label, Path dir, double rougeReference,
      double rougeTeacher, double perplexity, double[] rougeReferencePerSeed, int prefixes,
      int samples, long parameters, String example) {}

  /** New tokens/s at batch 16 with the cache, median of the repetitions, in one run. */
  public record Bench(String teacher, double teacherTokensPerSecond, String student,
      double studentTokensPerSecond, double speedup, int reps, int threads) {}

  public record Report(Settings settings, int heldOutPairs, List<ModelScore> models, Bench bench) {}

  private GenKdEvaluation() {}

  public static Report evaluate(Path teacher, List<Entry> students, Path corpus, Settings s,
      PrintStream log) {
    TorchThreads.configure(1, 1);
    GeneratorFolder tf = GeneratorFolder.read(teacher);
    int eos = tf.eosId() >= 0 ? tf.eosId() : tf.config().vocab() - 1;
    InstructionSet data;
    try (LmTokenizer tok = LmTokenizer.load(tf.tokenizerFile())) {
      data = InstructionSet.read(corpus, tok, 48, s.maxNewTokens(), eos);
    }
    List<InstructionPair> eval = data.evaluation(s.prefixes());
    log.printf(Locale.ROOT, "[genkd-eval] %d held-out prefixes x %d sampling seeds%n", eval.size(),
        s.samplingSeeds().size());
    SessionFactory factory = new SessionFactory();
    SessionConfig session = SessionConfig.cpu().withIntraOpThreads(1);
    List<List<String>> teacherSamples = samples(teacher, eval, s, factory, session);
    List<ModelScore> scores = new ArrayList<>();
    scores.add(score("teacher", teacher, eval, teacherSamples, teacherSamples, true, log));
    for (Entry e : students) {
      List<List<String>> own = samples(e.dir(), eval, s, factory, session);
      scores.add(score(e.label(), e.dir(), eval, own, teacherSamples, false, log));
    }
    Bench bench = students.isEmpty() || s.benchReps() < 1 ? null
        : bench(teacher, students.get(0), eval, s.benchReps(), factory, session, log);
    return new Report(s, data.heldOut().size(), scores, bench);
  }

  /**
   * [seed][prefix] texts, sampled in DJL ({@link GptSampler}, the ONNX file's weights imported,
   * KV cache, chunks of 16 prefixes, chunk c of seed k drawn from (k, c)). Evaluations through
   * ORT's {@link CausalLm} in one long process died with SIGSEGV and no hs_err file on this
   * machine (2026-12-06, 5 of 7 tries, with and without jemalloc, libjsig or libtorch), so the
   * samples come from the engine the training processes use; the ORT export of the same weights
   * equals DJL within 1e-4 ({@code GenKdRunTest}).
   */
  private static List<List<String>> samples(Path dir, List<InstructionPair> eval, Settings s,
      SessionFactory factory, SessionConfig session) {
    GeneratorFolder f = GeneratorFolder.read(dir);
    int eos = f.eosId() >= 0 ? f.eosId() : f.config().vocab() - 1;
    List<List<String>> out = new ArrayList<>();
    try (NDManager manager = NDManager.newBaseManager();
        LmTokenizer tok = LmTokenizer.load(f.tokenizerFile())) {
      GptModel model = new GptModel(f.config());
      model.initialize(manager);
      GptWeights.load(model, f.weights(), f.modelFile());
      GptSampler sampler = new GptSampler(model, manager, eos);
      for (long seed : s.samplingSeeds()) {
        List<String> texts = new ArrayList<>();
        for (int at = 0; at < eval.size(); at += BENCH_BATCH) {
          List<int[]> prefixes = eval.subList(at, Math.min(eval.size(), at + BENCH_BATCH))
              .stream().map(InstructionPair::prefixIds).toList();
          int[][] ys = sampler.sample(prefixes, s.maxNewTokens(),
              new SplittableRandom(seed * 0x9E3779B97F4A7C15L + at));
          for (int[] y : ys) {
            int len = y.length > 0 && y[y.length - 1] == eos ? y.length - 1 : y.length;
            long[] ids = new long[len];
            for (int j = 0; j < len; j++) {
              ids[j] = y[j];
            }
            texts.add(tok.decode(ids));
          }
        }
        out.add(texts);
      }
    }
    return out;
  }

  private static ModelScore score(String label, Path dir, List<InstructionPair> eval,
      List<List<String>> own, List<List<String>> teacher, boolean isTeacher, PrintStream log) {
    int seeds = own.size();
    double[] perSeed = new double[seeds];
    double refSum = 0;
    double teacherSum = 0;
    for (int k = 0; k < seeds; k++) {
      for (int i = 0; i < eval.size(); i++) {
        String text = own.get(k).get(i);
        double ref = RougeL.score(text, List.of(eval.get(i).continuation()));
        List<String> teacherRefs = new ArrayList<>();
        for (int j = 0; j < teacher.size(); j++) {
          if (!isTeacher || j != k) {
            teacherRefs.add(teacher.get(j).get(i));
          }
        }
        perSeed[k] += ref / eval.size();
        refSum += ref;
        teacherSum += RougeL.score(text, teacherRefs);
      }
    }
    int n = seeds * eval.size();
    GeneratorFolder f = GeneratorFolder.read(dir);
    double ppl = perplexity(f, eval);
    ModelScore m = new ModelScore(label, dir, refSum / n, teacherSum / n, ppl, perSeed,
        eval.size(), n, f.config().parameterCount(), eval.get(0).prefix() + " ->"
            + own.get(0).get(0));
    log.printf(Locale.ROOT, "[genkd-eval] %s (%s): ROUGE-L vs reference %.2f, vs teacher %.2f,"
        + " held-out perplexity %.1f (%d samples)%n", label, dir, m.rougeReference(),
        m.rougeTeacher(), ppl, n);
    return m;
  }

  /** exp(mean −log q) over the reference response tokens (end-of-text included). */
  static double perplexity(GeneratorFolder f, List<InstructionPair> eval) {
    try (NDManager manager = NDManager.newBaseManager()) {
      GptModel model = new GptModel(f.config());
      model.initialize(manager);
      GptWeights.load(model, f.weights(), f.modelFile());
      ParameterStore ps = new ParameterStore(manager, false);
      double nats = 0;
      long tokens = 0;
      for (int at = 0; at < eval.size(); at += BENCH_BATCH) {
        List<InstructionPair> part = eval.subList(at, Math.min(eval.size(), at + BENCH_BATCH));
        try (NDScope scope = new NDScope()) {
          ResponseBatch b = ResponseBatch.of(manager,
              part.stream().map(InstructionPair::prefixIds).toList(),
              part.stream().map(InstructionPair::responseIds).toList());
          double ce = TokenKl.crossEntropy(model.logits(ps, b.ids(), false), b.targets(),
              b.mask()).getFloat();
          nats += ce * b.responseTokens();
          tokens += b.responseTokens();
        }
      }
      return Math.exp(nats / tokens);
    }
  }

  private static Bench bench(Path teacher, Entry student, List<InstructionPair> eval, int reps,
      SessionFactory factory, SessionConfig session, PrintStream log) {
    List<String> labels = new ArrayList<>();
    List<long[]> ids = new ArrayList<>();
    for (int i = 0; i < BENCH_BATCH; i++) {
      InstructionPair p = eval.get(i % eval.size());
      labels.add(p.prefix());
      ids.add(Arrays.stream(p.prefixIds()).asLongStream().toArray());
    }
    GenerationConfig g = GenerationConfig.greedy(BENCH_TOKENS).withStopAtEos(false)
        .withCache(CacheMode.ON);
    double[] t = new double[reps];
    double[] st = new double[reps];
    try (CausalLm tl = CausalLm.open(teacher, factory, session);
        CausalLm sl = CausalLm.open(student.dir(), factory, session)) {
      tl.generateIds(labels, ids, g); // warm-up (JIT, ORT arenas)
      sl.generateIds(labels, ids, g);
      for (int r = 0; r < reps; r++) { // alternated, so load drift hits both alike
        t[r] = time(tl, labels, ids, g);
        st[r] = time(sl, labels, ids, g);
      }
    }
    double tt = BENCH_BATCH * BENCH_TOKENS / Stats.median(t);
    double ss = BENCH_BATCH * BENCH_TOKENS / Stats.median(st);
    log.printf(Locale.ROOT, "[genkd-eval] new tokens/s at batch %d with the KV cache, 1 thread:"
        + " teacher %.0f, student %.0f (%.1fx)%n", BENCH_BATCH, tt, ss, ss / tt);
    return new Bench(teacher.toString(), tt, student.dir().toString(), ss, ss / tt, reps, 1);
  }

  private static double time(CausalLm lm, List<String> labels, List<long[]> ids,
      GenerationConfig g) {
    long t0 = System.nanoTime();
    lm.generateIds(labels, ids, g);
    return (System.nanoTime() - t0) / 1e9;
  }
}
