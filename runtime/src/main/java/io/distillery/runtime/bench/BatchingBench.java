package io.distillery.runtime.bench;

import io.distillery.core.ConfigException;
import io.distillery.export.graph.OnnxModels;
import io.distillery.runtime.batch.BatchConfig;
import io.distillery.runtime.batch.BatchOrder;
import io.distillery.runtime.classify.ClassifierModel;
import io.distillery.runtime.classify.ClassifierStats;
import io.distillery.runtime.session.SessionConfig;
import io.distillery.runtime.session.SessionFactory;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Labelling throughput of one classifier folder, all configurations in one run and interleaved
 * (round-robin, so drift on a shared machine hits every configuration alike), medians of
 * repeated passes: Distillery's length-bucketed batches, the same batch size in file order,
 * batch 1, and DJL's own ONNX Runtime text-classification pipeline at batch 32 and 1, all on the
 * same thread count; plus the useful GFLOP/s against the shared {@link MatMulCeiling} (best and median).
 */
public final class BatchingBench {
  /**
   * @param reps timed passes per configuration (after one warm-up pass each)
   */
  public record Config(Path modelFolder, int threads, int batchSize, int reps, boolean djl) {
    public Config {
      if (threads < 1) {
        throw new ConfigException("bench threads must be >= 1 (compare like with like), got " + threads);
      }
      if (batchSize < 2 || reps < 1) {
        throw new ConfigException("bench needs batchSize >= 2 and reps >= 1");
      }
    }
  }

  /**
   * One configuration's result. Token counts are per pass; -1 where the pipeline does not
   * expose them (DJL pads each file-order batch to its longest text, like file order here).
   */
  public record Row(
      String name,
      int batchSize,
      double medianTextsPerSec,
      double minTextsPerSec,
      double maxTextsPerSec,
      long realTokens,
      long paddedPositions,
      double usefulGflops) {}

  /** The whole run. Speed-ups compare medians measured in this same run. */
  public record Report(
      String model,
      int texts,
      int threads,
      int reps,
      long denseFlopsPerToken,
      double ceilingGflops,
      double ceilingBestGflops,
      int ceilingRuns,
      List<Row> rows,
      double bucketedOverFileOrder,
      double bucketedOverBestDjl,
      double bucketedFractionOfCeiling,
      double bucketedFractionOfBestCeiling) {}

  private interface Pass {
    void run(List<String> texts);
  }

  private record Contender(String name, int batchSize, Pass pass, ClassifierModel model) {}

  private final PrintStream log;

  public BatchingBench(PrintStream log) {
    this.log = log;
  }

  public Report run(Config c, List<String> texts) {
    if (c.djl()) {
      DjlOrtPipeline.initEngineFirst();
    }
    SessionFactory sessions = new SessionFactory();
    SessionConfig session = SessionConfig.cpu().withIntraOpThreads(c.threads());
    long flopsPerToken = DenseFlops.perToken(OnnxModels.read(c.modelFolder().resolve("model.onnx")));
    MatMulCeiling.Ceiling ceiling = MatMulCeiling.measure(sessions, session, c.reps());
    log.printf(Locale.ROOT, "[bench] matmul ceiling: %s on %d threads%n", ceiling.describe(),
        c.threads());

    List<Contender> contenders = new ArrayList<>();
    List<AutoCloseable> open = new ArrayList<>();
    try {
      record Ours(String name, BatchConfig batching) {}
      for (Ours o : List.of(
          new Ours("distillery length-bucketed", new BatchConfig(c.batchSize(), BatchOrder.LENGTH_BUCKETED)),
          new Ours("distillery file order", new BatchConfig(c.batchSize(), BatchOrder.FILE_ORDER)),
          new Ours("distillery", new BatchConfig(1, BatchOrder.FILE_ORDER)))) {
        ClassifierModel m = ClassifierModel.open(c.modelFolder(), sessions, session, o.batching());
        open.add(m);
        contenders.add(new Contender(o.name(), o.batching().batchSize(),
            t -> m.classifier().logits(t), m));
      }
      if (c.djl()) {
        boolean tokenTypes = contenders.get(0).model().session().inputNames().contains("token_type_ids");
        for (int bs : new int[] {c.batchSize(), 1}) {
          DjlOrtPipeline p = new DjlOrtPipeline(c.modelFolder(), c.threads(), bs, tokenTypes);
          open.add(p);
          contenders.add(new Contender("djl onnxruntime pipeline", bs, p::classify, null));
        }
      }
      return measure(c, texts, contenders, flopsPerToken, ceiling);
    } finally {
      for (AutoCloseable a : open) {
        try {
          a.close();
        } catch (Exception e) {
          log.println("[bench] close failed: " + e.getMessage());
        }
      }
    }
  }

  private Report measure(Config c, List<String> texts, List<Contender> contenders,
      long flopsPerToken, MatMulCeiling.Ceiling ceiling) {
    int k = contenders.size();
    double[][] tps = new double[k][c.reps()];
    long[] real = new long[k];
    long[] padded = new long[k];
    for (int rep = -1; rep < c.reps(); rep++) { // rep -1: warm-up
      for (int i = 0; i < k; i++) {
        Contender ct = contenders.get(i);
        ClassifierStats before = ct.model() == null ? null : ct.model().classifier().stats();
        long t0 = System.nanoTime();
        ct.pass().run(texts);
        double secs = (System.nanoTime() - t0) / 1e9;
        if (rep >= 0) {
          tps[i][rep] = texts.size() / secs;
        }
        if (before != null) {
          ClassifierStats after = ct.model().classifier().stats();
          real[i] = after.realTokens() - before.realTokens();
          padded[i] = after.paddedPositions() - before.paddedPositions();
        } else {
          real[i] = -1;
          padded[i] = -1;
        }
      }
      if (rep >= 0) {
        log.printf(Locale.ROOT, "[bench] pass %d/%d done%n", rep + 1, c.reps());
      }
    }
    List<Row> rows = new ArrayList<>();
    for (int i = 0; i < k; i++) {
      Contender ct = contenders.get(i);
      double med = Stats.median(tps[i]);
      long realTokens = real[i] >= 0 ? real[i] : real[0];
      double useful = realTokens * (double) flopsPerToken * med / texts.size() / 1e9;
      rows.add(new Row(ct.name(), ct.batchSize(), med, Stats.percentile(tps[i], 0),
          Stats.percentile(tps[i], 100), real[i], padded[i], useful));
    }
    double bestDjl = rows.stream().filter(r -> r.name().startsWith("djl"))
        .mapToDouble(Row::medianTextsPerSec).max().orElse(Double.NaN);
    Row bucketed = rows.get(0);
    return new Report(c.modelFolder().toString(), texts.size(), c.threads(), c.reps(),
        flopsPerToken, ceiling.medianGflops(), ceiling.bestGflops(), ceiling.reps(), rows,
        bucketed.medianTextsPerSec() / rows.get(1).medianTextsPerSec(),
        bucketed.medianTextsPerSec() / bestDjl,
        bucketed.usefulGflops() / ceiling.medianGflops(),
        bucketed.usefulGflops() / ceiling.bestGflops());
  }
}
