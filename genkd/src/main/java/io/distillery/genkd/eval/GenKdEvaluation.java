package io.distillery.genkd.eval;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import io.distillery.core.ModelLoadException;
import io.distillery.export.gpt.GptExporter;
import io.distillery.train.gpt.GptConfig;
import java.nio.FloatBuffer;
import java.nio.LongBuffer;
import java.util.HashMap;
import java.util.Map;
import io.distillery.core.ConfigException;
import io.distillery.genkd.data.InstructionPair;
import io.distillery.genkd.data.InstructionSet;
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
import io.distillery.train.gpt.TorchThreads;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * Scores a teacher and students on the held-out instruction pairs ({@link InstructionSet}, never
 * trained on): each model (its exported ONNX, through ONNX Runtime's {@link CausalLm} with the KV
 * cache) samples one response per prefix per sampling seed at temperature 1 without top-k/top-p;
 * ROUGE-L vs the reference continuation and vs the teacher's samples (max over the teacher's
 * samples of the other seeds for the teacher itself, of all seeds for a student); held-out
 * perplexity of the reference responses (the same ONNX file, ORT); and new tokens/s at
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
      if (prefixes < 1 || samplingSeeds.isEmpty() || maxNewTokens < 1 || benchReps < 1) {
        throw new ConfigException("evaluation needs >= 1 prefix, sampling seed, new token and"
            + " bench repetition, got " + prefixes + ", " + samplingSeeds.size() + ", "
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
    Bench bench = students.isEmpty() ? null
        : bench(teacher, students.get(0), eval, s.benchReps(), factory, session, log);
    return new Report(s, data.heldOut().size(), scores, bench);
  }

  /** [seed][prefix] texts. */
  private static List<List<String>> samples(Path dir, List<InstructionPair> eval, Settings s,
      SessionFactory factory, SessionConfig session) {
    List<String> labels = new ArrayList<>();
    List<long[]> ids = new ArrayList<>();
    for (InstructionPair p : eval) {
      labels.add(p.prefix());
      ids.add(Arrays.stream(p.prefixIds()).asLongStream().toArray());
    }
    List<List<String>> out = new ArrayList<>();
    try (CausalLm lm = CausalLm.open(dir, factory, session)) {
      for (long seed : s.samplingSeeds()) {
        GenerationConfig g = new GenerationConfig(s.maxNewTokens(), 1.0, 0, 1.0, List.of(), seed,
            true, CacheMode.ON);
        // chunks of 16 whose rows stay until the chunk ends: with rows leaving (continuous
        // batching) the JVM died with SIGSEGV, no hs_err, while the demo teacher sampled 500
        // prefixes with seed 2 (2026-12-06, three times); results do not depend on the batching
        out.add(lm.generateIds(labels, ids, g, StopCondition.NEVER,
            new Batching(BENCH_BATCH, false))
            .stream().map(Generation::text).toList());
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

  /**
   * exp(mean −log q) over the reference response tokens (end-of-text included), from the
   * exported model.onnx through ONNX Runtime (empty past, one pair at a time), so the evaluation
   * process loads no PyTorch: with libtorch loaded after ORT sessions, long evaluations died with
   * SIGSEGV (2026-12-06).
   */
  static double perplexity(GeneratorFolder f, List<InstructionPair> eval) {
    GptConfig c = f.config();
    OrtEnvironment env = SessionFactory.environment();
    double nats = 0;
    long tokens = 0;
    try (OrtSession.SessionOptions opts = new OrtSession.SessionOptions()) {
      opts.setIntraOpNumThreads(1);
      try (OrtSession s = env.createSession(f.modelFile().toString(), opts)) {
        for (InstructionPair p : eval) {
          int[] pre = p.prefixIds();
          int[] resp = p.responseIds();
          int t = pre.length + resp.length - 1;
          long[] ids = new long[t];
          long[] pos = new long[t];
          long[] mask = new long[t];
          for (int j = 0; j < t; j++) {
            ids[j] = j < pre.length ? pre[j] : resp[j - pre.length];
            pos[j] = j;
            mask[j] = 1;
          }
          Map<String, OnnxTensor> in = new HashMap<>();
          try {
            long[] shape = {1, t};
            in.put("input_ids", OnnxTensor.createTensor(env, LongBuffer.wrap(ids), shape));
            in.put("position_ids", OnnxTensor.createTensor(env, LongBuffer.wrap(pos), shape));
            in.put("attention_mask", OnnxTensor.createTensor(env, LongBuffer.wrap(mask), shape));
            long[] past = {1, c.heads(), 0, c.headDim()};
            for (int i = 0; i < c.layers(); i++) {
              in.put(GptExporter.pastKey(i), OnnxTensor.createTensor(env, FloatBuffer.allocate(0),
                  past));
              in.put(GptExporter.pastValue(i),
                  OnnxTensor.createTensor(env, FloatBuffer.allocate(0), past));
            }
            try (OrtSession.Result r = s.run(in, java.util.Set.of("logits"))) {
              FloatBuffer logits = ((OnnxTensor) r.get("logits").get()).getFloatBuffer();
              int v = c.vocab();
              for (int j = 0; j < resp.length; j++) {
                int at = pre.length - 1 + j; // logits at this position predict resp[j]
                double max = Double.NEGATIVE_INFINITY;
                for (int k = 0; k < v; k++) {
                  max = Math.max(max, logits.get(at * v + k));
                }
                double z = 0;
                for (int k = 0; k < v; k++) {
                  z += Math.exp(logits.get(at * v + k) - max);
                }
                nats += max + Math.log(z) - logits.get(at * v + resp[j]);
                tokens++;
              }
            }
          } finally {
            in.values().forEach(OnnxTensor::close);
          }
        }
      }
    } catch (OrtException e) {
      throw new ModelLoadException(f.modelFile(), "cannot score the references ("
          + e.getMessage() + ")", e);
    }
    return Math.exp(nats / tokens);
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
