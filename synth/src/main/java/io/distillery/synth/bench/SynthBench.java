package io.distillery.synth.bench;

import io.distillery.core.ConfigException;
import io.distillery.runtime.batch.BatchConfig;
import io.distillery.runtime.bench.Stats;
import io.distillery.runtime.generate.Batching;
import io.distillery.runtime.classify.ClassifierModel;
import io.distillery.runtime.session.SessionConfig;
import io.distillery.runtime.session.SessionFactory;
import io.distillery.synth.corpus.CorpusReader;
import io.distillery.synth.filter.Rejection;
import io.distillery.synth.pipeline.SynthClock;
import io.distillery.synth.pipeline.SynthConfig;
import io.distillery.synth.pipeline.SynthSummary;
import io.distillery.synth.pipeline.Synthesizer;
import io.distillery.synth.prompt.TemplatePrompts;
import io.distillery.synth.source.CausalLmGenerator;
import io.distillery.synth.source.GeneratorSource;
import io.distillery.synth.task.TaskSpec;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;

/**
 * Synthesis throughput, end to end (generator → cut → filters → teacher → shards), the old path
 * (every continuation generated to {@code maxNewTokens}, then cut) against the new one
 * (continuations stop at their final cut; rows leave the batch and, with fewer rows than the draw,
 * waiting prompts take them), in one run: every repetition runs every path once, in alternating
 * order, into a fresh folder, with the same models and settings (the synth defaults), and the
 * report gives medians. The paths write the same texts; the report checks that too.
 */
public final class SynthBench {
  /** Accepted samples/s the issue asks for. */
  public static final double TARGET_SAMPLES_PER_SEC = 100;
  /** Largest share of generated tokens that the cut may throw away. */
  public static final double TARGET_DISCARDED_SHARE = 0.25;

  private final PrintStream log;

  public SynthBench(PrintStream log) {
    this.log = log;
  }

  /**
   * What to measure.
   *
   * @param generator generator folder
   * @param teacher teacher classifier folder
   * @param samples accepted samples per synthesis run
   * @param reps timed runs per path
   * @param batchSize candidates per draw (the synth batch)
   * @param rows the new path's rows in the generator's batch, one path per value (0 = the whole
   *     draw at once)
   * @param seed run seed
   * @param drawAhead also measure the first new path with generator and teacher on one intra-op
   *     thread each, in line and with the next batch drawn while the teacher labels
   * @param aheadBatchSizes with {@code drawAhead}: also draw ahead with these draw sizes (larger
   *     draws give the teacher longer, length-sorted label calls; other draws, other texts)
   * @param labelTeacher with {@code drawAhead}: also draw ahead labelling with this classifier
   *     (e.g. the int8 export of the teacher) at every draw size; null = none
   */
  public record Config(Path generator, Path teacher, long samples, int reps, int batchSize,
      List<Integer> rows, long seed, boolean drawAhead, List<Integer> aheadBatchSizes,
      Path labelTeacher) {
    /** Without the draw-ahead paths. */
    public Config(Path generator, Path teacher, long samples, int reps, int batchSize,
        List<Integer> rows, long seed) {
      this(generator, teacher, samples, reps, batchSize, rows, seed, false);
    }

    /** Draw-ahead paths at the one draw size, with the teacher only. */
    public Config(Path generator, Path teacher, long samples, int reps, int batchSize,
        List<Integer> rows, long seed, boolean drawAhead) {
      this(generator, teacher, samples, reps, batchSize, rows, seed, drawAhead, List.of(), null);
    }


    public Config {
      if (samples < 1 || reps < 1 || batchSize < 1 || rows.isEmpty()
          || rows.stream().anyMatch(r -> r < 0) || aheadBatchSizes.stream().anyMatch(b -> b < 1)) {
        throw new ConfigException("bench synth: samples, reps and batch size must be >= 1 and"
            + " rows >= 0 (0 = the whole draw), got samples " + samples + ", reps " + reps
            + ", batch size " + batchSize + ", rows " + rows + ", draw-ahead batch sizes "
            + aheadBatchSizes);
      }
      if (!drawAhead && (!aheadBatchSizes.isEmpty() || labelTeacher != null)) {
        throw new ConfigException("bench synth: other draw sizes and a label teacher are"
            + " draw-ahead paths; add --draw-ahead");
      }
      rows = List.copyOf(rows);
      aheadBatchSizes = List.copyOf(aheadBatchSizes);
    }
  }

  /**
   * One path's figures.
   *
   * @param name what the path does
   * @param medianSamplesPerSec accepted samples per second, median over the repetitions
   * @param samplesPerSec every repetition's rate, in run order
   * @param samples accepted samples per run
   * @param candidates candidates drawn per run
   * @param tokensGenerated new tokens generated per run
   * @param tokensKept of those, the tokens inside the candidates' cut texts
   * @param discardedShare {@code 1 - kept / generated}
   * @param medianSeconds median seconds per phase (generate, filter, label, write, other, total)
   * @param batchSize candidates per draw
   * @param sameTextsAsOld whether the corpus texts equal, in order, those of the first path with
   *     the same draw size (the old path's at the config's draw size)
   * @param labelSurplus candidates per run the teacher labelled and rebalancing then dropped (their
   *     label already had its share): generated and labelled for nothing
   * @param batchesDrawnAhead batches per run generated while the teacher labelled the previous one
   */
  public record PathResult(String name, int batchSize, double medianSamplesPerSec,
      double[] samplesPerSec, long samples, long candidates, long tokensGenerated, long tokensKept,
      double discardedShare, Map<String, Double> medianSeconds, boolean sameTextsAsOld,
      long labelSurplus, long batchesDrawnAhead) {}

  /**
   * The report.
   *
   * @param loadBefore {@code /proc/loadavg} 1/5/15-minute load before the timed runs
   * @param loadAfter the same after them
   * @param cores available processors
   * @param speedup new paths' median samples/s over the old path's
   * @param meetsSamplesTarget whether the fastest new path reaches {@link #TARGET_SAMPLES_PER_SEC}
   * @param meetsDiscardTarget whether it discards at most {@link #TARGET_DISCARDED_SHARE}
   */
  public record Report(String generator, String teacher, long samples, int reps, int batchSize,
      int maxNewTokens, long seed, int cores, String loadBefore, String loadAfter,
      List<PathResult> paths, Map<String, Double> speedup, boolean meetsSamplesTarget,
      boolean meetsDiscardTarget) {}

  /**
   * @param oneThreadEach generator and teacher sessions on one intra-op thread each (else ORT's
   *     default, every core)
   */
  private record Variant(String name, GeneratorSource.Decoding decoding, Batching batching,
      boolean oneThreadEach, boolean drawAhead, int batchSize, boolean labelTeacher) {
    Variant(String name, GeneratorSource.Decoding decoding, Batching batching, int batchSize) {
      this(name, decoding, batching, false, false, batchSize, false);
    }
  }

  private static final class Runs {
    final List<Double> rates = new ArrayList<>();
    final Map<String, List<Double>> seconds = new LinkedHashMap<>();
    long samples;
    long candidates;
    long generated;
    long kept;
    long labelSurplus;
    long drawnAhead;
    List<String> texts;
  }

  /** A generator and a teacher opened with one session configuration. */
  private record Models(ClassifierModel teacher, CausalLmGenerator generator) {}

  /** Runs the bench with the synth defaults (those of {@code distillery synth}). */
  public Report run(Config c) {
    return run(c, UnaryOperator.identity());
  }

  /**
   * Runs the bench with the synth defaults as changed by {@code settings} (which must keep the
   * target, seed and batch size the config gives).
   */
  public Report run(Config c, UnaryOperator<SynthConfig> settings) {
    List<Variant> variants = new ArrayList<>();
    // the old path as it was: every row generated to the limit or end of text, finished rows
    // kept in the batch until the last one ends, then cut
    variants.add(new Variant("old: full length, fixed batch, then cut",
        GeneratorSource.Decoding.FULL_THEN_CUT, Batching.fixed(), c.batchSize()));
    for (int r : c.rows()) {
      variants.add(new Variant("new: stop at cut, rows " + (r == 0 ? "= draw" : String.valueOf(r)),
          GeneratorSource.Decoding.STOP_AT_CUT, r == 0 ? Batching.all() : Batching.rows(r),
          c.batchSize()));
    }
    if (c.drawAhead()) {
      int r = c.rows().get(0);
      Batching b = r == 0 ? Batching.all() : Batching.rows(r);
      String rows = r == 0 ? "= draw" : String.valueOf(r);
      variants.add(new Variant("new, rows " + rows + ", 1+1 threads, in line",
          GeneratorSource.Decoding.STOP_AT_CUT, b, true, false, c.batchSize(), false));
      variants.add(new Variant("new, rows " + rows + ", 1+1 threads, draw ahead",
          GeneratorSource.Decoding.STOP_AT_CUT, b, true, true, c.batchSize(), false));
      List<Integer> sizes = new ArrayList<>(List.of(c.batchSize()));
      c.aheadBatchSizes().stream().filter(x -> !sizes.contains(x)).forEach(sizes::add);
      for (int size : sizes) {
        if (size != c.batchSize()) {
          variants.add(new Variant("new, draw " + size + ", rows " + rows + ", 1+1 threads, draw"
              + " ahead", GeneratorSource.Decoding.STOP_AT_CUT, b, true, true, size, false));
        }
        if (c.labelTeacher() != null) {
          variants.add(new Variant("new, draw " + size + ", rows " + rows + ", 1+1 threads, draw"
              + " ahead, label teacher " + c.labelTeacher().getFileName(),
              GeneratorSource.Decoding.STOP_AT_CUT, b, true, true, size, true));
        }
      }
    }
    SessionFactory sessions = new SessionFactory();
    Path scratch = tempDir();
    SessionConfig split = SessionConfig.cpu().withIntraOpThreads(1);
    try (ClassifierModel teacher = ClassifierModel.open(c.teacher(), sessions, SessionConfig.cpu(),
            BatchConfig.defaults());
        CausalLmGenerator generator = CausalLmGenerator.open(c.generator(), sessions,
            SessionConfig.cpu());
        ClassifierModel teacher1 = c.drawAhead() ? ClassifierModel.open(c.teacher(), sessions,
            split, BatchConfig.defaults()) : null;
        ClassifierModel other1 = c.labelTeacher() != null ? ClassifierModel.open(c.labelTeacher(),
            sessions, split, BatchConfig.defaults()) : null;
        CausalLmGenerator generator1 = c.drawAhead() ? CausalLmGenerator.open(c.generator(),
            sessions, split) : null) {
      Models shared = new Models(teacher, generator);
      Models oneEach = new Models(teacher1, generator1);
      Models otherTeacher = new Models(other1, generator1);
      TaskSpec task = new TaskSpec(teacher.labels().names(), description(teacher));
      SynthConfig base = settings.apply(SynthConfig.defaults(task, c.samples()).withSeed(c.seed())
          .withBatchSize(c.batchSize()));
      // warm-up: JIT, ORT allocations, every path once on a small target
      for (Variant v : variants) {
        once(v, base.withBatchSize(v.batchSize()).withTargetSamples(Math.min(c.samples(), 64)),
            models(v, shared, oneEach, otherTeacher), scratch, new Runs());
      }
      String loadBefore = load();
      List<Runs> runs = new ArrayList<>();
      variants.forEach(v -> runs.add(new Runs()));
      for (int rep = 0; rep < c.reps(); rep++) {
        for (int k = 0; k < variants.size(); k++) {
          int i = rep % 2 == 0 ? k : variants.size() - 1 - k; // alternate the order
          Variant v = variants.get(i);
          once(v, base.withBatchSize(v.batchSize()), models(v, shared, oneEach, otherTeacher),
              scratch, runs.get(i));
          log.printf(Locale.ROOT, "bench synth: rep %d/%d %-34s %7.1f samples/s%n", rep + 1,
              c.reps(), variants.get(i).name(), last(runs.get(i).rates));
        }
      }
      String loadAfter = load();
      List<PathResult> results = new ArrayList<>();
      for (int i = 0; i < variants.size(); i++) {
        int size = variants.get(i).batchSize();
        int ref = 0;
        while (variants.get(ref).batchSize() != size) {
          ref++;
        }
        results.add(result(variants.get(i), runs.get(i), runs.get(ref).texts));
      }
      Map<String, Double> speedup = new LinkedHashMap<>();
      PathResult best = null;
      for (PathResult r : results.subList(1, results.size())) {
        speedup.put(r.name(), r.medianSamplesPerSec() / results.get(0).medianSamplesPerSec());
        if (best == null || r.medianSamplesPerSec() > best.medianSamplesPerSec()) {
          best = r;
        }
      }
      return new Report(c.generator().toString(), c.teacher().toString(), c.samples(), c.reps(),
          c.batchSize(), base.generation().maxNewTokens(), c.seed(),
          Runtime.getRuntime().availableProcessors(), loadBefore, loadAfter, results, speedup,
          best.medianSamplesPerSec() >= TARGET_SAMPLES_PER_SEC,
          best.discardedShare() <= TARGET_DISCARDED_SHARE);
    } finally {
      delete(scratch);
    }
  }

  private static Models models(Variant v, Models shared, Models oneEach, Models otherTeacher) {
    return v.labelTeacher() ? otherTeacher : v.oneThreadEach() ? oneEach : shared;
  }

  private static void once(Variant v, SynthConfig config, Models models, Path scratch, Runs into) {
    Path out = scratch.resolve("corpus");
    delete(out);
    SynthClock clock = new SynthClock();
    GeneratorSource source = new GeneratorSource(new TemplatePrompts(config.task()),
        models.generator().withBatching(v.batching()), config.generation(), v.decoding());
    Synthesizer synth = new Synthesizer(new PrintStream(PrintStream.nullOutputStream()), 1e9,
        clock, v.drawAhead());
    SynthSummary s = synth.synthesize(config, source, models.teacher(), out);
    into.labelSurplus = s.rejections().getOrDefault(Rejection.LABEL_SURPLUS.key(), 0L);
    into.drawnAhead = synth.batchesDrawnAhead();
    into.rates.add(s.samples() / s.seconds());
    double phases = 0;
    for (SynthClock.Phase p : SynthClock.Phase.values()) {
      into.seconds.computeIfAbsent(p.name().toLowerCase(Locale.ROOT), k -> new ArrayList<>())
          .add(clock.seconds(p));
      phases += clock.seconds(p);
    }
    into.seconds.computeIfAbsent("other", k -> new ArrayList<>()).add(s.seconds() - phases);
    into.seconds.computeIfAbsent("total", k -> new ArrayList<>()).add(s.seconds());
    into.samples = s.samples();
    into.candidates = s.candidates();
    into.generated = source.generatedTokens();
    into.kept = source.keptTokens();
    List<String> texts = new ArrayList<>();
    try (CorpusReader r = CorpusReader.open(out)) {
      while (r.hasNext()) {
        texts.add(r.next().text());
      }
    }
    into.texts = texts;
  }

  private static PathResult result(Variant v, Runs r, List<String> oldTexts) {
    Map<String, Double> medians = new LinkedHashMap<>();
    r.seconds.forEach((k, xs) -> medians.put(k, Stats.median(toArray(xs))));
    double[] rates = toArray(r.rates);
    return new PathResult(v.name(), v.batchSize(), Stats.median(rates), rates, r.samples,
        r.candidates,
        r.generated, r.kept, r.generated == 0 ? 0 : 1 - r.kept / (double) r.generated, medians,
        r.texts.equals(oldTexts), r.labelSurplus, r.drawnAhead);
  }

  /** A markdown summary. */
  public static String markdown(Report r) {
    StringBuilder b = new StringBuilder();
    b.append(String.format(Locale.ROOT, "synth bench: %d samples per run, batch %d, max %d new"
        + " tokens, seed %d, median of %d runs per path (interleaved); %d cores, load %s before,"
        + " %s after%n%n", r.samples(), r.batchSize(), r.maxNewTokens(), r.seed(), r.reps(),
        r.cores(), r.loadBefore(), r.loadAfter()));
    b.append("| path | samples/s | (min..max) | candidates | label surplus | tokens generated |"
        + " kept | discarded | generate s | filter s | label s | write s | other s | total s |"
        + " same texts* |\n");
    b.append("|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|\n");
    for (PathResult p : r.paths()) {
      double[] s = p.samplesPerSec().clone();
      java.util.Arrays.sort(s);
      Map<String, Double> m = p.medianSeconds();
      b.append(String.format(Locale.ROOT, "| %s | %.1f | (%.1f..%.1f) | %d | %d (%.1f%%) | %d |"
          + " %d | %.1f%% | %.2f | %.2f | %.2f | %.2f | %.2f | %.2f | %s |%n", p.name(),
          p.medianSamplesPerSec(), s[0], s[s.length - 1], p.candidates(), p.labelSurplus(),
          100.0 * p.labelSurplus() / Math.max(1, p.candidates()), p.tokensGenerated(),
          p.tokensKept(), 100 * p.discardedShare(), m.get("generate"), m.get("filter"),
          m.get("label"), m.get("write"), m.get("other"), m.get("total"),
          p.sameTextsAsOld() ? "yes" : "no"));
    }
    b.append('\n');
    b.append("*same texts, in order, as the first path with the same draw size.\n");
    if (r.paths().stream().anyMatch(p -> p.batchesDrawnAhead() > 0)) {
      b.append("Draw ahead: generate and label overlap, so their seconds add up to more than the"
          + " total (\"other\" goes negative).\n");
    }
    r.speedup().forEach((k, v) -> b.append(String.format(Locale.ROOT,
        "%s / old: %.2fx%n", k, v)));
    b.append(String.format(Locale.ROOT, "target >= %.0f samples/s: %s; target discarded <= %.0f%%:"
        + " %s%n", TARGET_SAMPLES_PER_SEC, r.meetsSamplesTarget() ? "met" : "not met",
        100 * TARGET_DISCARDED_SHARE, r.meetsDiscardTarget() ? "met" : "not met"));
    return b.toString();
  }

  private static String description(ClassifierModel teacher) {
    return teacher.folder().config()
        .map(f -> io.distillery.runtime.model.JsonFile.readObject(f, "a model config JSON"))
        .map(n -> n.path("distillery").path("task_description").asText(""))
        .filter(d -> !d.isBlank())
        .orElse("Texts for the teacher's task.");
  }

  private static String load() {
    try {
      String[] f = Files.readString(Path.of("/proc/loadavg")).trim().split("\\s+");
      return f[0] + " " + f[1] + " " + f[2];
    } catch (IOException | RuntimeException e) {
      return "unknown";
    }
  }

  private static double last(List<Double> xs) {
    return xs.get(xs.size() - 1);
  }

  private static double[] toArray(List<Double> xs) {
    return xs.stream().mapToDouble(Double::doubleValue).toArray();
  }

  private static Path tempDir() {
    try {
      return Files.createTempDirectory("distillery-bench-synth");
    } catch (IOException e) {
      throw new UncheckedIOException("cannot make a temporary folder", e);
    }
  }

  private static void delete(Path dir) {
    if (!Files.exists(dir)) {
      return;
    }
    try (Stream<Path> files = Files.walk(dir)) {
      for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
        Files.delete(p);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(dir + ": cannot delete", e);
    }
  }
}
