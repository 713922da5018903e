package io.distillery.cli.pipeline;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.distillery.core.AtomicFiles;
import io.distillery.core.BadInputException;
import io.distillery.core.ConfigException;
import io.distillery.core.Json;
import io.distillery.core.Sha256;
import io.distillery.export.check.OnnxChecker;
import io.distillery.export.student.StudentExporter;
import io.distillery.runtime.batch.BatchConfig;
import io.distillery.runtime.bench.BenchReportFiles;
import io.distillery.runtime.bench.ModelBench;
import io.distillery.runtime.classify.ClassifierModel;
import io.distillery.runtime.eval.Evaluator;
import io.distillery.runtime.session.SessionConfig;
import io.distillery.runtime.session.SessionFactory;
import io.distillery.runtime.text.TextTokenizer;
import io.distillery.synth.corpus.CorpusReader;
import io.distillery.synth.corpus.CorpusRecord;
import io.distillery.synth.pipeline.SynthSummary;
import io.distillery.synth.pipeline.Synthesizer;
import io.distillery.train.distill.DistillExample;
import io.distillery.train.distill.DistillResult;
import io.distillery.train.distill.Distiller;
import io.distillery.train.student.StudentConfig;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * {@code distillery run}: synth (teacher labels included) → distil → export → bench, each stage
 * resumable. {@code out/stages.json} records finished stages and the config they were made with;
 * a rerun skips finished stages, continues an unfinished one (the synthesizer resumes from its
 * manifest, the distiller from its checkpoint), and refuses an out folder made with another
 * config.
 */
public final class Pipeline {
  /** The stages, in order. */
  public enum Stage { synth, distill, bench }

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
    StageLog stages = StageLog.open(out, RunStages.fingerprint(c), RunStages.identity(c));
    SessionFactory sessions = new SessionFactory();
    SessionConfig cpu = SessionConfig.cpu();

    long samples;
    try (ClassifierModel teacher = ClassifierModel.open(c.teacher(), sessions, cpu, BatchConfig.defaults())) {
      if (!teacher.labels().names().equals(c.task().labels())) {
        throw new ConfigException("run config: task.labels " + c.task().labels()
            + " differ from the teacher's id2label " + teacher.labels().names());
      }
      if (stages.done(Stage.synth)) {
        samples = stages.get(Stage.synth).path("samples").asLong();
        log.println("[run] synth: done earlier (" + samples + " samples), skipping");
      } else {
        SynthSummary s;
        try (RunStages.OpenSource source = RunStages.openSource(c, sessions)) {
          s = new Synthesizer().synthesize(RunStages.synthConfig(c), source.source(), teacher, corpus);
        }
        samples = s.samples();
        if (!s.complete()) {
          log.printf("[run] synth stopped at %d of %d samples (synth.max_shards); rerun to continue%n",
              s.samples(), s.targetSamples());
          return new Result(corpus, null, null, null);
        }
        stages.finish(Stage.synth, Json.MAPPER.valueToTree(s));
        log.printf("[run] synth: %d samples, labels %s, rejected %s%n", s.samples(),
            s.labelDistribution(), s.rejections());
      }
    }

    StudentConfig studentConfig;
    StudentFolder.DistillSummary summary;
    try (TextTokenizer tokenizer = TextTokenizer.load(c.teacher().resolve("tokenizer.json"))) {
      studentConfig = RunStages.studentConfig(c, tokenizer);
      if (stages.done(Stage.distill)) {
        summary = Json.MAPPER.convertValue(stages.get(Stage.distill), StudentFolder.DistillSummary.class);
        log.println("[run] distill: done earlier, skipping");
      } else {
        List<DistillExample> train = readCorpus(corpus);
        Optional<List<DistillExample>> dev = Optional.ofNullable(c.dev()).map(d -> readDev(d, c));
        Integer threads = c.distill().threads();
        Distiller distiller = threads == null ? new Distiller(log) : new Distiller(log, threads);
        DistillResult r = distiller.distill(train, dev, tokenizer, studentConfig,
            RunStages.distillConfig(c), out.resolve("distill-work"));
        writeStudent(c, studentConfig, r, student);
        summary = StudentFolder.DistillSummary.of(r, samples);
        StudentFolder.writeCard(student, c, studentConfig, summary, null);
        stages.finish(Stage.distill, Json.MAPPER.valueToTree(summary));
      }
    }

    ModelBench.Report report;
    if (stages.done(Stage.bench) && Files.isRegularFile(benchDir.resolve("report.json"))) {
      report = readReport(benchDir.resolve("report.json"));
      log.println("[run] bench: done earlier, skipping");
    } else {
      RunConfig.Bench b = c.bench();
      ModelBench.Config bc = new ModelBench.Config(b.threads() == null ? 1 : b.threads(),
          b.latencyRuns() == null ? 300 : b.latencyRuns(), 30, 32, 5);
      report = new ModelBench(log).run(bc, c.teacher(), student, ModelBench.defaultTexts(),
          Optional.ofNullable(b.data()));
      BenchReportFiles.write(report, benchDir);
      StudentFolder.writeCard(student, c, studentConfig, summary, report);
      stages.finish(Stage.bench, Json.MAPPER.createObjectNode().put("report", "bench/report.json"));
    }
    return new Result(corpus, student, benchDir, report);
  }

  private void writeStudent(RunConfig c, StudentConfig sc, DistillResult r, Path dir) {
    String teacherSha = Sha256.of(c.teacher().resolve("model.onnx"));
    Map<String, String> meta = new LinkedHashMap<>();
    meta.put("distillery.kind", "student");
    meta.put("distillery.teacher", c.teacher().toString());
    meta.put("distillery.teacher_sha256", teacherSha);
    meta.put("distillery.source", c.source().toString());
    meta.put("distillery.seed", String.valueOf(c.seed()));
    meta.put("distillery.student", sc.toString());
    meta.put("distillery.distill", RunStages.distillConfig(c).toString());
    meta.put("distillery.git", RunStages.gitSha());
    try {
      Files.createDirectories(dir);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    StudentExporter.export(r.weights(), meta, dir.resolve("model.onnx"));
    if (OnnxChecker.isAvailable()) {
      OnnxChecker.check(dir.resolve("model.onnx"));
    }
    StudentFolder.writeConfig(dir, c.task().labels(), sc, c.teacher(), teacherSha);
  }

  /** The corpus as distillation examples (text + teacher logits), checksums verified. */
  static List<DistillExample> readCorpus(Path corpus) {
    List<DistillExample> out = new ArrayList<>();
    try (CorpusReader reader = CorpusReader.open(corpus)) {
      while (reader.hasNext()) {
        CorpusRecord r = reader.next();
        out.add(DistillExample.ofTeacher(r.text(), r.logits()));
      }
    }
    if (out.isEmpty()) {
      throw BadInputException.of(corpus, "empty corpus (no samples in its shards)");
    }
    return out;
  }

  private static List<DistillExample> readDev(Path dev, RunConfig c) {
    var labels = new io.distillery.runtime.model.LabelMap(c.task().labels());
    Evaluator.LabelledData d = Evaluator.read(dev, "text", "label", labels);
    List<DistillExample> out = new ArrayList<>();
    for (int i = 0; i < d.texts().size(); i++) {
      out.add(DistillExample.ofGold(d.texts().get(i), d.gold()[i]));
    }
    return out;
  }

  private static ModelBench.Report readReport(Path file) {
    try {
      return Json.MAPPER.readValue(file.toFile(), ModelBench.Report.class);
    } catch (IOException e) {
      throw BadInputException.of(file, "unreadable bench report (" + e.getMessage() + ")", e);
    }
  }

  /** {@code out/stages.json}: the config fingerprint and one summary per finished stage. */
  static final class StageLog {
    private final Path file;
    private final ObjectNode root;

    private StageLog(Path file, ObjectNode root) {
      this.file = file;
      this.root = root;
    }

    static StageLog open(Path out, String fingerprint, JsonNode config) {
      Path file = out.resolve("stages.json");
      ObjectNode root;
      if (Files.isRegularFile(file)) {
        try {
          root = (ObjectNode) Json.MAPPER.readTree(file.toFile());
        } catch (IOException | ClassCastException e) {
          throw BadInputException.of(file, "not a stages file (" + e.getMessage() + ")");
        }
        String found = root.path("config_sha256").asText();
        if (!found.equals(fingerprint)) {
          List<String> changed = new ArrayList<>();
          config.fieldNames().forEachRemaining(k -> {
            if (!config.get(k).toString().equals(String.valueOf(root.path("config").get(k)))) {
              changed.add(k + " (was " + root.path("config").get(k) + ", now " + config.get(k) + ")");
            }
          });
          throw BadInputException.of(file, "this out folder was made with another config (changed: "
              + changed + "); use a new 'out' or delete the folder");
        }
      } else {
        root = Json.MAPPER.createObjectNode().put("config_sha256", fingerprint);
        root.set("config", config);
        root.putObject("stages");
      }
      StageLog log = new StageLog(file, root);
      log.save();
      return log;
    }

    boolean done(Stage s) {
      return root.path("stages").has(s.name());
    }

    JsonNode get(Stage s) {
      return root.path("stages").path(s.name());
    }

    void finish(Stage s, JsonNode summary) {
      ((ObjectNode) root.get("stages")).set(s.name(), summary);
      save();
    }

    private void save() {
      try {
        AtomicFiles.writeString(file, Json.MAPPER.writeValueAsString(root) + "\n");
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
  }
}
