package io.distillery.cli;

import io.distillery.core.AtomicFiles;
import io.distillery.core.Json;
import io.distillery.core.JsonlReader;
import io.distillery.runtime.bench.BatchingBench;
import io.distillery.runtime.bench.BenchReportFiles;
import io.distillery.runtime.bench.MatMulCeiling;
import io.distillery.runtime.bench.ModelBench;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code distillery bench}: measured, side by side, in one run. */
@Command(
    name = "bench",
    description = "Benchmarks, every configuration measured side by side in one run (medians of "
        + "repeated passes).",
    subcommands = {BenchCommand.Batching.class, BenchGeneratorCommand.class,
        BenchSynthCommand.class})
final class BenchCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Option(names = "--teacher", description = "Teacher classifier folder (compare mode).")
  Path teacher;

  @Option(names = "--student", arity = "1..*", description = "Student classifier folder(s) (compare mode); "
      + "more than one (e.g. the fp32 student and its int8 export) are measured in turns in the same run, "
      + "the others against the first.")
  List<Path> students;

  @Option(names = "--data", description = "Labelled JSON Lines (text, label): adds accuracy and agreement.")
  Path data;

  @Option(names = "--out", defaultValue = "bench", description = "Folder for report.md, report.json, report.png (default: ${DEFAULT-VALUE}).")
  Path out;

  @Option(names = "--threads", defaultValue = "1", description = "Intra-op threads per model (default: ${DEFAULT-VALUE}).")
  int threads;

  @Option(names = "--latency-runs", defaultValue = "300", description = "Timed batch-1 calls per model (default: ${DEFAULT-VALUE}).")
  int latencyRuns;

  @Option(names = "--reps", defaultValue = "5", description = "Timed batch-32 passes per model (default: ${DEFAULT-VALUE}).")
  int reps;

  @Option(names = "--json", description = "Print the report as JSON.")
  boolean json;

  /** {@code distillery bench --teacher DIR --student DIR... [--data FILE]}: teacher vs students. */
  @Override
  public Integer call() throws Exception {
    if (teacher == null || students == null || students.isEmpty()) {
      throw new picocli.CommandLine.ParameterException(spec.commandLine(),
          "bench needs --teacher and --student (or a subcommand, e.g. 'bench batching')");
    }
    ModelBench.Config config = new ModelBench.Config(threads, latencyRuns, 30, 32, reps);
    ModelBench.Report report = new ModelBench(System.err).run(config, teacher, students,
        ModelBench.defaultTexts(), java.util.Optional.ofNullable(data));
    BenchReportFiles.write(report, out);
    PrintWriter w = spec.commandLine().getOut();
    if (json) {
      w.println(Json.MAPPER.writeValueAsString(report));
    } else {
      w.print(BenchReportFiles.markdown(report));
      w.printf("report: %s/report.md, report.json, report.png%n", out);
    }
    return 0;
  }

  @Command(
      name = "batching",
      description = "Labelling throughput of a classifier: length-bucketed batches vs file-order "
          + "batches vs batch 1 vs DJL's ONNX Runtime pipeline, and GFLOP/s vs a MatMul ceiling.")
  static final class Batching implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Option(names = "--model", required = true, description = "Classifier folder.")
    Path model;

    @Option(names = "--data", required = true, description = "JSON Lines with a 'text' field.")
    Path data;

    @Option(names = "--limit", defaultValue = "1000", description = "Texts to use (default: ${DEFAULT-VALUE}).")
    int limit;

    @Option(names = "--threads", defaultValue = "2", description = "Intra-op threads for every pipeline (default: ${DEFAULT-VALUE}).")
    int threads;

    @Option(names = "--batch-size", defaultValue = "32", description = "Batch size (default: ${DEFAULT-VALUE}).")
    int batchSize;

    @Option(names = "--reps", defaultValue = "5", description = "Timed passes per configuration (default: ${DEFAULT-VALUE}).")
    int reps;

    @Option(names = "--no-djl", description = "Skip the DJL baseline.")
    boolean noDjl;

    @Option(names = "--out", description = "Also write the report as JSON to this file.")
    Path out;

    @Option(names = "--json", description = "Print the report as JSON.")
    boolean json;

    @Override
    public Integer call() throws Exception {
      List<String> texts = new ArrayList<>();
      try (JsonlReader r = JsonlReader.open(data)) {
        while (r.hasNext() && texts.size() < limit) {
          texts.add(r.requireText(r.next(), "text"));
        }
      }
      BatchingBench.Report report = new BatchingBench(System.err).run(
          new BatchingBench.Config(model, threads, batchSize, reps, !noDjl), texts);
      String asJson = Json.MAPPER.writeValueAsString(report);
      if (out != null) {
        AtomicFiles.writeString(out, asJson + "\n");
      }
      PrintWriter w = spec.commandLine().getOut();
      if (json) {
        w.println(asJson);
        return 0;
      }
      w.printf(Locale.ROOT, "%d texts, %d threads, median of %d passes; dense FLOPs/token %,d; "
          + "matmul ceiling median %.1f, best %.1f GFLOP/s (%d runs of %d^3)%n%n", report.texts(),
          report.threads(), report.reps(), report.denseFlopsPerToken(), report.ceilingGflops(),
          report.ceilingBestGflops(), report.ceilingRuns(), MatMulCeiling.N);
      w.printf("%-28s %5s %12s %18s %10s %10s %9s%n", "pipeline", "batch", "texts/s",
          "(min..max)", "tokens", "padded", "GFLOP/s");
      for (BatchingBench.Row r : report.rows()) {
        w.printf(Locale.ROOT, "%-28s %5d %12.1f %18s %10s %10s %9.1f%n", r.name(), r.batchSize(),
            r.medianTextsPerSec(),
            String.format(Locale.ROOT, "(%.0f..%.0f)", r.minTextsPerSec(), r.maxTextsPerSec()),
            r.realTokens() < 0 ? "-" : String.valueOf(r.realTokens()),
            r.paddedPositions() < 0 ? "-" : String.valueOf(r.paddedPositions()), r.usefulGflops());
      }
      w.printf(Locale.ROOT, "%nlength-bucketed / file order: %.2fx%n", report.bucketedOverFileOrder());
      w.printf(Locale.ROOT, "length-bucketed / best DJL:   %.2fx%n", report.bucketedOverBestDjl());
      w.printf(Locale.ROOT, "useful GFLOP/s / ceiling:     %.1f%% of the median, %.1f%% of the best%n",
          100 * report.bucketedFractionOfCeiling(), 100 * report.bucketedFractionOfBestCeiling());
      return 0;
    }
  }
}
