package io.distillery.runtime.bench;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.distillery.core.AtomicFiles;
import io.distillery.core.Json;
import io.distillery.export.gpt.OnnxInitializers;
import io.distillery.export.graph.OnnxModels;
import io.distillery.runtime.generate.CacheMode;
import io.distillery.runtime.generate.CausalLm;
import io.distillery.runtime.generate.Generation;
import io.distillery.runtime.generate.GenerationConfig;
import io.distillery.runtime.generate.TokenScoring;
import io.distillery.runtime.session.SessionConfig;
import io.distillery.runtime.session.SessionFactory;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * New tokens per second of a generator, in one run: the KV-cached batched path at batch 1, 16
 * and 64 and the no-cache path, 8-token prompts and 64 new tokens (greedy, end of text ignored so
 * every row makes all 64), against the arithmetic limit: 2 x parameters FLOPs per token at the
 * machine's MatMul GFLOP/s measured through the same ONNX Runtime API and threads. Tokens are
 * chosen as generation chooses them ({@link TokenScoring#GRAPH}, the choice appended to the
 * model's graph); kv-cache batch 16 is also measured on the path before 2026-12-06 (the file as
 * it is, the logits copied out and scanned in Java: {@link #JAVA_SCORING}).
 */
public final class GenerationBench {
  static final int PROMPT_TOKENS = 8;
  static final int NEW_TOKENS = 64;
  private static final int[] CACHED_BATCHES = {1, 16, 64};
  private static final int[] NO_CACHE_BATCHES = {1, 16};
  private static final int WARMUP_RUNS = 5;
  private static final String TEXT = "The sea was calm and the sky was grey over the harbour, where"
      + " the old ships rested against the stone walls of the town. Nobody knew when the captain"
      + " would come back, but every morning the children ran to the end of the pier to look for"
      + " his sail on the long line of the horizon, and every evening they walked home again.";

  /** One measured configuration. */
  public record Row(String model, String path, int batch, double tokensPerSecond,
      double secondsPerRun) {}

  /** {@link Row#model} of the measured model and of the baseline graph. */
  public static final String MODEL = "model";
  public static final String BASELINE = "baseline";
  /**
   * {@link Row#path} of kv-cache batch 16 with the token choice and log-probabilities computed
   * by Java passes over copied-out logits ({@link TokenScoring#JAVA}, the path before
   * 2026-12-06); every other row uses {@link TokenScoring#GRAPH}.
   */
  public static final String JAVA_SCORING = "kv-cache, java scoring";

  /**
   * The whole report.
   *
   * @param matmulGflops the median of the shared MatMul ceiling ({@link MatMulCeiling})
   * @param matmulBestGflops its best run
   * @param flopsPerToken dense FLOPs per new token ({@link DenseFlops}: an int8 export counts as
   *     its fp32 source)
   * @param ceilingTokensPerSecond the arithmetic limit: median MatMul GFLOP/s over flopsPerToken
   * @param cacheSpeedupBatch1 kv-cache / no-cache new tokens/s at batch 1
   * @param cacheSpeedupBatch16 the same at batch 16
   * @param batch16ShareOfLimit kv-cache batch-16 tokens/s over the arithmetic limit
   * @param batch16ShareOfBestLimit the same over the limit at the best MatMul run
   * @param baseline another generator (e.g. the same weights in the previous graph) measured in
   *     the same round-robin, or null
   * @param batch16OverBaseline kv-cache batch-16 tokens/s of the model over the baseline's (NaN
   *     without one)
   * @param batch16OverBaselineJavaScoring kv-cache batch-16 tokens/s of the model over the
   *     baseline's with {@link #JAVA_SCORING} (the baseline graph on the path before 2026-12-06;
   *     NaN without a baseline)
   * @param agreement with a baseline and texts: the model (b) against the baseline (a) by teacher
   *     forcing on those texts; null otherwise
   */
  public record Report(Path model, int threads, boolean spinning, long parameters, long flopsPerToken,
      double matmulGflops, double matmulBestGflops, int matmulRuns, double ceilingTokensPerSecond,
      List<Row> rows, double cacheSpeedupBatch1, double cacheSpeedupBatch16,
      double batch16ShareOfLimit, double batch16ShareOfBestLimit, Path baseline,
      double batch16OverBaseline, double batch16OverBaselineJavaScoring,
      LmAgreement.Result agreement) {}

  /** Tokens of each text that {@link LmAgreement} scores. */
  public static final int AGREEMENT_TOKENS = 64;

  private GenerationBench() {}

  public static Report run(Path modelDir, int threads, int reps, PrintStream log) {
    return run(modelDir, null, threads, reps, log, List.of());
  }

  /**
   * Measures {@code modelDir} and, when {@code baselineDir} is not null, that generator too, every
   * configuration of both in one round-robin.
   */
  public static Report run(Path modelDir, Path baselineDir, int threads, int reps, PrintStream log,
      List<String> agreementTexts) {
    return run(modelDir, baselineDir, SessionConfig.cpu().withIntraOpThreads(threads), reps, log,
        agreementTexts);
  }

  /** Like the others, with the sessions opened as {@code session} says. */
  public static Report run(Path modelDir, Path baselineDir, SessionConfig session, int reps,
      PrintStream log, List<String> agreementTexts) {
    int threads = session.intraOpThreads();
    SessionFactory factory = new SessionFactory();
    long params = OnnxInitializers.readFloats(modelDir.resolve("model.onnx")).values().stream()
        .mapToLong(w -> w.values().length).sum();
    MatMulCeiling.Ceiling matmul = MatMulCeiling.measure(factory, session, MatMulCeiling.MIN_REPS);
    log.printf(Locale.ROOT, "[bench] matmul ceiling: %s on %d threads%n", matmul.describe(), threads);
    long flops = DenseFlops.perToken(OnnxModels.read(modelDir.resolve("model.onnx")));
    double ceiling = matmul.medianGflops() * 1e9 / flops;
    double bestCeiling = matmul.bestGflops() * 1e9 / flops;
    List<Row> rows = new ArrayList<>();
    LmAgreement.Result agreement = null;
    // the Java-scoring rows run each file as it is (no token choice appended to its graph)
    try (CausalLm lm = CausalLm.open(modelDir, factory, session);
        CausalLm base = baselineDir == null ? null : CausalLm.open(baselineDir, factory, session);
        CausalLm lmJava = CausalLm.open(modelDir, factory, session, TokenScoring.JAVA);
        CausalLm baseJava = baselineDir == null ? null
            : CausalLm.open(baselineDir, factory, session, TokenScoring.JAVA)) {
      long[] text = lm.tokenizer().encode(TEXT);
      GenerationConfig greedy = GenerationConfig.greedy(NEW_TOKENS).withStopAtEos(false);
      List<Config> configs = new ArrayList<>();
      for (CausalLm m : base == null ? List.of(lm) : List.of(lm, base)) {
        String name = m == lm ? MODEL : BASELINE;
        for (int batch : CACHED_BATCHES) {
          configs.add(new Config(m, name, "kv-cache", batch, greedy.withCache(CacheMode.ON),
              TokenScoring.GRAPH));
        }
        configs.add(new Config(m == lm ? lmJava : baseJava, name, JAVA_SCORING, 16,
            greedy.withCache(CacheMode.ON), TokenScoring.JAVA));
        for (int batch : NO_CACHE_BATCHES) {
          configs.add(new Config(m, name, "no-cache", batch, greedy.withCache(CacheMode.OFF),
              TokenScoring.GRAPH));
        }
      }
      // warm-up: the Java sampling loops need the JIT (first runs here were 2x slower), then
      // every configuration once
      for (int i = 0; i < WARMUP_RUNS; i++) {
        timeOne(text, configs.get(1));
      }
      double[][] secs = new double[configs.size()][reps];
      for (int r = -1; r < reps; r++) { // round-robin, so drift hits every configuration alike
        for (int c = 0; c < configs.size(); c++) {
          double s = timeOne(text, configs.get(c));
          if (r >= 0) {
            secs[c][r] = s;
          }
        }
      }
      for (int c = 0; c < configs.size(); c++) {
        Config config = configs.get(c);
        double median = Stats.median(secs[c]);
        Row row = new Row(config.model(), config.path(), config.batch(),
            config.batch() * NEW_TOKENS / median, median);
        log.printf(Locale.ROOT, "[bench] %s %s batch %d: %.0f new tokens/s (%.3f s per run)%n",
            row.model(), row.path(), row.batch(), row.tokensPerSecond(), row.secondsPerRun());
        rows.add(row);
      }
      if (base != null && !agreementTexts.isEmpty()) {
        agreement = LmAgreement.compare(base, lm, agreementTexts, AGREEMENT_TOKENS);
        log.printf(Locale.ROOT, "[bench] agreement on %d texts: done%n", agreement.texts());
      }
    }
    return new Report(modelDir, threads, session.spinning(), params, flops, matmul.medianGflops(),
        matmul.bestGflops(), matmul.reps(), ceiling, rows,
        rate(rows, "kv-cache", 1) / rate(rows, "no-cache", 1),
        rate(rows, "kv-cache", 16) / rate(rows, "no-cache", 16),
        rate(rows, "kv-cache", 16) / ceiling, rate(rows, "kv-cache", 16) / bestCeiling,
        baselineDir, rate(rows, "kv-cache", 16) / rate(rows, BASELINE, "kv-cache", 16),
        rate(rows, "kv-cache", 16) / rate(rows, BASELINE, JAVA_SCORING, 16), agreement);
  }

  private record Config(CausalLm lm, String model, String path, int batch,
      GenerationConfig generation, TokenScoring scoring) {}

  /** Seconds for one generation of {@link #NEW_TOKENS} new tokens on every row. */
  private static double timeOne(long[] text, Config c) {
    CausalLm lm = c.lm();
    List<long[]> prompts = new ArrayList<>();
    List<String> labels = new ArrayList<>();
    for (int b = 0; b < c.batch(); b++) {
      int start = (b * 3) % (text.length - PROMPT_TOKENS);
      prompts.add(Arrays.copyOfRange(text, start, start + PROMPT_TOKENS));
      labels.add("p" + b);
    }
    lm.setTokenScoring(c.scoring());
    long t0 = System.nanoTime();
    List<Generation> out = lm.generateIds(labels, prompts, c.generation());
    double s = (System.nanoTime() - t0) / 1e9;
    long tokens = out.stream().mapToLong(g -> g.tokenIds().length).sum();
    if (tokens != (long) c.batch() * NEW_TOKENS) {
      throw new IllegalStateException("expected " + c.batch() * NEW_TOKENS + " new tokens, got "
          + tokens);
    }
    return s;
  }

  /** A markdown table of the report, with the ratios the issue asks for. */
  public static String markdown(Report r) {
    StringBuilder sb = new StringBuilder();
    sb.append(String.format(Locale.ROOT, "Model %s: %,d fp32 parameters, %.2f dense MFLOP per"
            + " token; %d ORT threads%s; MatMul ceiling median %.1f GFLOP/s (best %.1f, %d runs of"
            + " %d^3) -> arithmetic limit %.0f tokens/s%n%n", r.model(), r.parameters(),
        r.flopsPerToken() / 1e6, r.threads(), r.spinning() ? "" : " (not spinning)",
        r.matmulGflops(), r.matmulBestGflops(),
        r.matmulRuns(), MatMulCeiling.N, r.ceilingTokensPerSecond()));
    sb.append("| model | path | batch | new tokens/s | s per run | share of limit (median ceiling) |\n"
        + "|---|---|---|---|---|---|\n");
    for (Row row : r.rows()) {
      sb.append(String.format(Locale.ROOT, "| %s | %s | %d | %.0f | %.3f | %.1f%% |%n",
          row.model().equals(BASELINE) ? "baseline " + r.baseline() : String.valueOf(r.model()),
          row.path(),
          row.batch(), row.tokensPerSecond(), row.secondsPerRun(),
          100 * row.tokensPerSecond() / r.ceilingTokensPerSecond()));
    }
    sb.append(String.format(Locale.ROOT, "%nkv-cache / no-cache: %.1fx at batch 16, %.1fx at batch"
        + " 1; kv-cache batch 16 reaches %.1f%% of the arithmetic limit (%.1f%% of it at the best"
        + " MatMul run)%n", r.cacheSpeedupBatch16(), r.cacheSpeedupBatch1(),
        100 * r.batch16ShareOfLimit(), 100 * r.batch16ShareOfBestLimit()));
    sb.append(String.format(Locale.ROOT, "kv-cache batch 16, model: token choice in the graph /"
        + " in Java (same run): %.2fx%n",
        rate(r.rows(), "kv-cache", 16) / rate(r.rows(), JAVA_SCORING, 16)));
    if (r.baseline() != null) {
      sb.append(String.format(Locale.ROOT, "kv-cache batch 16, model / baseline (same run, both"
          + " choosing tokens in the graph): %.2fx; model / baseline choosing tokens in Java (the"
          + " path before 2026-12-06): %.2fx%n", r.batch16OverBaseline(),
          r.batch16OverBaselineJavaScoring()));
    }
    LmAgreement.Result a = r.agreement();
    if (a != null) {
      sb.append(String.format(Locale.ROOT, "model vs baseline, teacher-forced on %d texts (%d next"
          + " tokens, first %d tokens of each): bits/byte %.4f vs %.4f (baseline), KL(baseline ||"
          + " model) %.5f nats/token, most likely next token the same at %.2f%% of positions%n",
          a.texts(), a.tokens(), AGREEMENT_TOKENS, a.bitsPerByteB(), a.bitsPerByteA(),
          a.klPerToken(), 100 * a.argmaxAgreement()));
    }
    return sb.toString();
  }

  private static double rate(List<Row> rows, String path, int batch) {
    return rate(rows, MODEL, path, batch);
  }

  private static double rate(List<Row> rows, String model, String path, int batch) {
    return rows.stream()
        .filter(x -> x.model().equals(model) && x.path().equals(path) && x.batch() == batch)
        .mapToDouble(Row::tokensPerSecond).findFirst().orElse(Double.NaN);
  }

  /** Writes {@code bench.json} and {@code bench.md} into {@code dir}. */
  public static void write(Report r, Path dir) {
    ObjectNode root = Json.MAPPER.valueToTree(r);
    root.put("model", r.model().toString());
    try {
      AtomicFiles.writeBytes(dir.resolve("bench.json"), Json.MAPPER.writeValueAsBytes(root));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    AtomicFiles.writeString(dir.resolve("bench.md"), markdown(r));
  }
}
