package io.distillery.cli.pipeline;

import io.distillery.core.BadInputException;
import io.distillery.core.Json;
import io.distillery.learn.t3.T3Tuner;
import io.distillery.runtime.bench.BenchReportFiles;
import io.distillery.runtime.bench.ModelBench;
import io.distillery.synth.pipeline.SynthSummary;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * {@code distillery run}: synth (teacher labels included) → distil → export → bench, each stage
 * resumable. {@code out/stages.json} ({@link StageLog}) records finished stages and the config
 * they were made with; a rerun skips finished stages, continues an unfinished one (the
 * synthesizer resumes from its manifest, the distiller from its checkpoint), and refuses an out
 * folder made with another config. The stages themselves are {@link SynthStage} and {@link
 * DistillStage}, which {@code distillery synth} and {@code distillery distill} run on their own.
 */
public final class Pipeline {
  /** The stages, in order. */
  public enum Stage { tune, synth, distill, bench }

  private final PrintStream log;

  public Pipeline(PrintStream log) {
    this.log = log;
  }

  /** Where a run's outputs are. */
  public record Result(Path corpus, Path student, Path bench, ModelBench.Report report) {}

  public Result run(RunConfig c) {
    Path out = c.out();
    Path corpus = out.resolve("corpus");
    Path student = out.resolve("student");
    Path benchDir = out.resolve("bench");
    StageLog stages = StageLog.open(c);
    RunConfig.Source source = c.source();
    if (c.generatorTuning() != null) {
      Path tuned = out.resolve("generator");
      if (stages.done(Stage.tune)) {
        log.println("[run] tune: done earlier (" + tuned + "), skipping");
      } else {
        T3Tuner.Result r = GeneratorTuningStage.run(c, tuned, log);
        if (!r.complete()) {
          return new Result(corpus, null, null, null);
        }
        stages.finish(Stage.tune, Json.MAPPER.valueToTree(r.summary()));
      }
      source = source.withGenerator(tuned, c.generatorTuning().corpus());
    }

    if (stages.done(Stage.synth)) {
      log.println("[run] synth: done earlier (" + stages.get(Stage.synth).path("samples").asLong()
          + " samples), skipping");
    } else {
      SynthSummary s = new SynthStage(c.teacher(), source, c.prompts(), c.task().labels(),
          c.task().description(), c.seed(), c.synth(), corpus).run(log);
      if (!s.complete()) {
        log.printf("[run] synth stopped at %d of %d samples (synth.max_shards); rerun to continue%n",
            s.samples(), s.targetSamples());
        return new Result(corpus, null, null, null);
      }
      stages.finish(Stage.synth, Json.MAPPER.valueToTree(s));
      log.printf("[run] synth: %d samples, labels %s, rejected %s%n", s.samples(),
          s.labelDistribution(), s.rejections());
    }

    if (stages.done(Stage.distill)) {
      log.println("[run] distill: done earlier, skipping");
    } else {
      DistillSummary summary = new DistillStage(corpus, c.teacher(), c.student(), c.distill(),
          c.seed(), c.dev(), student, out.resolve("distill-work")).run(log);
      stages.finish(Stage.distill, Json.MAPPER.valueToTree(summary));
    }

    ModelBench.Report report;
    if (stages.done(Stage.bench) && Files.isRegularFile(benchDir.resolve("report.json"))) {
      report = readReport(benchDir.resolve("report.json"));
      log.println("[run] bench: done earlier, skipping");
    } else {
      RunConfig.Bench b = c.bench();
      ModelBench.Config bc = new ModelBench.Config(b.threads() == null ? 1 : b.threads(),
          b.latencyRuns() == null ? 300 : b.latencyRuns(), 30, 32, 5);
      List<Path> students = new ArrayList<>(List.of(student));
      for (String v : b.variants()) {
        Path dir = out.resolve("student-" + v);
        StudentReexport.write(student, dir, v.endsWith("int8"), v.startsWith("fused"));
        log.println("[run] bench: wrote " + dir + " to measure beside the student");
        students.add(dir);
      }
      report = new ModelBench(log).run(bc, c.teacher(), students, ModelBench.defaultTexts(),
          Optional.ofNullable(b.data()));
      BenchReportFiles.write(report, benchDir);
      RewardCurves.write(out, benchDir).ifPresent(p -> log.println("[run] reward curves: " + p));
      StudentFolder.writeBench(student, report);
      stages.finish(Stage.bench, Json.MAPPER.createObjectNode().put("report", "bench/report.json"));
    }
    return new Result(corpus, student, benchDir, report);
  }

  private static ModelBench.Report readReport(Path file) {
    try {
      return Json.MAPPER.readValue(file.toFile(), ModelBench.Report.class);
    } catch (IOException e) {
      throw BadInputException.of(file, "unreadable bench report (" + e.getMessage() + ")", e);
    }
  }
}
