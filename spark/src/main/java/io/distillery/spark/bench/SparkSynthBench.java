package io.distillery.spark.bench;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.distillery.core.AtomicFiles;
import io.distillery.core.Json;
import io.distillery.runtime.batch.BatchConfig;
import io.distillery.runtime.bench.Stats;
import io.distillery.runtime.classify.ClassifierModel;
import io.distillery.runtime.session.SessionConfig;
import io.distillery.runtime.session.SessionFactory;
import io.distillery.spark.label.DeepStack;
import io.distillery.spark.pipeline.SparkSettings;
import io.distillery.spark.pipeline.SparkSynthesizer;
import io.distillery.synth.pipeline.SynthConfig;
import io.distillery.synth.pipeline.SynthSummary;
import io.distillery.synth.pipeline.Synthesizer;
import io.distillery.synth.source.RawCorpusSource;
import io.distillery.synth.task.TaskSpec;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.apache.spark.SparkConf;
import org.apache.spark.api.java.JavaSparkContext;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Throughput of Spark synthesis against the single-process path, side by side in one JVM: per
 * repetition, the single-process synthesizer (teacher on 1 and on 2 ORT threads), then Spark
 * {@code local[1]} and {@code local[2]} (a fresh context each, its start-up timed apart), and
 * {@code local[1]} labelling 32 texts per teacher call (about the single-process batch), which
 * separates Spark's overhead from the gain of bigger length-bucketed chunks. Wall and process CPU
 * seconds per variant: on a shared machine, samples per CPU second is the per-core rate. Every
 * Spark corpus is compared with the single-process one. Medians over repetitions; the figures go
 * to {@code --out} as JSON and a table to stdout.
 */
@Command(name = "spark-synth-bench", mixinStandardHelpOptions = true,
    description = "Spark local[1] vs local[2] vs the single-process synthesizer on one raw corpus.")
public final class SparkSynthBench implements Callable<Integer> {
  @Option(names = "--teacher", required = true, paramLabel = "DIR") Path teacher;
  @Option(names = "--corpus", required = true, paramLabel = "FILE") Path corpus;
  @Option(names = "--unit", defaultValue = "sentence", paramLabel = "line|sentence") String unit;
  @Option(names = "--samples", defaultValue = "4000") long samples;
  @Option(names = "--reps", defaultValue = "3") int reps;
  @Option(names = "--seed", defaultValue = "42") long seed;
  @Option(names = "--work", required = true, paramLabel = "DIR", description = "Scratch folder for the corpora.")
  Path work;
  @Option(names = "--out", required = true, paramLabel = "FILE", description = "Figures as JSON.") Path out;
  @Option(names = "--json", description = "Print the JSON figures instead of the table.") boolean json;

  /** local[1]/chunk32: executors label 32 texts per call, about what the single-process path does. */
  private static final List<String> VARIANTS =
      List.of("single_1_thread", "single_2_threads", "local[1]", "local[2]", "local[1]/chunk32");

  public static void main(String[] args) {
    System.exit(DeepStack.call("spark-synth-bench", () -> new CommandLine(new SparkSynthBench()).execute(args)));
  }

  @Override
  public Integer call() throws IOException {
    PrintStream quiet = new PrintStream(java.io.OutputStream.nullOutputStream(), true, StandardCharsets.UTF_8);
    RawCorpusSource.Unit cut = unit.equals("line") ? RawCorpusSource.Unit.LINE : RawCorpusSource.Unit.SENTENCE;
    Map<String, double[]> seconds = new LinkedHashMap<>();
    Map<String, double[]> startup = new LinkedHashMap<>();
    Map<String, double[]> cpu = new LinkedHashMap<>();
    VARIANTS.forEach(v -> {
      seconds.put(v, new double[reps]);
      startup.put(v, new double[reps]);
      cpu.put(v, new double[reps]);
    });
    ObjectNode root = Json.MAPPER.createObjectNode();
    ArrayNode diffs = root.putArray("spark_vs_single_process");
    root.set("memory", memory());
    for (int r = 0; r < reps; r++) {
      Path single = null;
      for (String v : VARIANTS) {
        Path dir = work.resolve("rep" + r + "-" + v.replace('[', '-').replace("]", "").replace('/', '-'));
        deleteTree(dir);
        long cpu0 = processCpuNanos();
        long t0 = System.nanoTime();
        SynthSummary s;
        if (v.startsWith("single")) {
          int threads = v.equals("single_1_thread") ? 1 : 2;
          try (ClassifierModel model = open(threads)) {
            s = new Synthesizer(quiet, 1e9).synthesize(config(model), RawCorpusSource.open(corpus, cut), model, dir);
          }
          if (single == null) {
            single = dir;
          }
        } else {
          SparkConf conf = new SparkConf().setMaster(v.replace("/chunk32", "")).setAppName("spark-synth-bench")
              .set("spark.ui.enabled", "false");
          SparkSettings settings = v.endsWith("/chunk32") ? SparkSettings.defaults().withChunk(32)
              : SparkSettings.defaults();
          try (ClassifierModel model = open(1); JavaSparkContext spark = new JavaSparkContext(conf)) {
            startup.get(v)[r] = (System.nanoTime() - t0) / 1e9;
            s = new SparkSynthesizer(spark, settings, quiet)
                .synthesize(config(model), RawCorpusSource.open(corpus, cut), model, dir);
          }
          CorpusDiff d = CorpusDiff.of(single, dir);
          ObjectNode dn = diffs.addObject();
          dn.put("rep", r);
          dn.put("variant", v);
          dn.put("records", d.records());
          dn.put("same_ids_texts_labels", d.sameRecords());
          dn.put("max_logit_difference", d.maxLogitDifference());
          dn.put("first_difference", d.firstDifference());
        }
        seconds.get(v)[r] = (System.nanoTime() - t0) / 1e9;
        cpu.get(v)[r] = (processCpuNanos() - cpu0) / 1e9;
        if (s.samples() != samples) {
          throw new IllegalStateException(v + " wrote " + s.samples() + " samples, not " + samples);
        }
        System.err.printf(Locale.ROOT, "[bench] rep %d %-16s %.1f s, %.1f CPU s%n", r + 1, v, seconds.get(v)[r],
            cpu.get(v)[r]);
      }
    }
    ObjectNode figures = root.putObject("median");
    for (String v : VARIANTS) {
      ObjectNode f = figures.putObject(v);
      double sec = Stats.median(seconds.get(v));
      f.put("seconds", sec);
      f.put("samples_per_second", samples / sec);
      f.put("context_start_seconds", Stats.median(startup.get(v)));
      f.put("cpu_seconds", Stats.median(cpu.get(v)));
      f.put("samples_per_cpu_second", samples / Stats.median(cpu.get(v)));
      ArrayNode all = f.putArray("all_seconds");
      for (double x : seconds.get(v)) {
        all.add(x);
      }
    }
    double s1 = Stats.median(seconds.get("single_1_thread"));
    double s2 = Stats.median(seconds.get("single_2_threads"));
    double l1 = Stats.median(seconds.get("local[1]"));
    double l2 = Stats.median(seconds.get("local[2]"));
    ObjectNode ratios = root.putObject("ratios");
    ratios.put("local2_speedup_over_local1", l1 / l2);
    ratios.put("local1_time_over_single_1_thread", l1 / s1);
    ratios.put("local2_time_over_single_2_threads", l2 / s2);
    double c32 = Stats.median(seconds.get("local[1]/chunk32"));
    ratios.put("local1_chunk32_time_over_single_1_thread", c32 / s1);
    root.put("samples", samples);
    root.put("reps", reps);
    root.put("corpus", corpus.getFileName().toString());
    root.put("teacher", teacher.toAbsolutePath().normalize().getFileName().toString());
    root.put("cores", Runtime.getRuntime().availableProcessors());
    root.put("load_average_at_end", java.lang.management.ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
    AtomicFiles.writeString(out, Json.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(root) + "\n");
    if (json) {
      System.out.println(Json.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(root));
      return 0;
    }
    System.out.printf(Locale.ROOT, "%-18s %9s %11s %10s %15s %16s%n", "variant", "median s", "samples/s",
        "CPU s", "samples/CPU s", "context start s");
    for (String v : VARIANTS) {
      System.out.printf(Locale.ROOT, "%-18s %9.1f %11.1f %10.1f %15.1f %16.1f%n", v, Stats.median(seconds.get(v)),
          samples / Stats.median(seconds.get(v)), Stats.median(cpu.get(v)), samples / Stats.median(cpu.get(v)),
          Stats.median(startup.get(v)));
    }
    System.out.printf(Locale.ROOT, "local[2] speedup over local[1]: %.2fx; local[1] / single (1 thread): %.2f;"
        + " local[2] / single (2 threads): %.2f; local[1]/chunk32 / single (1 thread): %.2f%n", l1 / l2, l1 / s1,
        l2 / s2, c32 / s1);
    diffs.forEach(d -> System.out.printf(Locale.ROOT, "rep %d %s: same ids/texts/labels %s, max |logit diff| %.2e%n",
        d.get("rep").asInt() + 1, d.get("variant").asText(), d.get("same_ids_texts_labels").asBoolean(),
        d.get("max_logit_difference").asDouble()));
    return 0;
  }

  private ClassifierModel open(int threads) {
    return ClassifierModel.open(teacher, new SessionFactory(), SessionConfig.cpu().withIntraOpThreads(threads),
        BatchConfig.defaults());
  }

  private SynthConfig config(ClassifierModel model) {
    return SynthConfig.defaults(new TaskSpec(model.labels().names(), "spark synth benchmark"), samples)
        .withSeed(seed);
  }

  /** Resident memory of one teacher session: opened, then after labelling 2,048 texts. */
  private ObjectNode memory() throws IOException {
    ObjectNode m = Json.MAPPER.createObjectNode();
    m.put("model_onnx_bytes", Files.size(teacher.resolve("model.onnx")));
    long before = rssBytes();
    try (ClassifierModel model = open(1)) {
      long opened = rssBytes();
      List<String> texts = new ArrayList<>(RawCorpusSource.open(corpus, RawCorpusSource.Unit.SENTENCE).pool(seed, 2048));
      model.classifier().logits(texts);
      long labelled = rssBytes();
      m.put("rss_growth_session_open_bytes", opened - before);
      m.put("rss_growth_after_2048_texts_bytes", labelled - before);
    }
    return m;
  }

  private static long processCpuNanos() {
    return ((com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory
        .getOperatingSystemMXBean()).getProcessCpuTime();
  }

  private static long rssBytes() throws IOException {
    for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
      if (line.startsWith("VmRSS:")) {
        return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
      }
    }
    return -1;
  }

  private static void deleteTree(Path dir) {
    if (!Files.exists(dir)) {
      return;
    }
    try (var files = Files.walk(dir)) {
      files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
