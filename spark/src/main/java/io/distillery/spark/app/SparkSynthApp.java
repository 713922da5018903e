package io.distillery.spark.app;

import io.distillery.core.DistilleryException;
import io.distillery.core.ExitCode;
import io.distillery.core.Json;
import io.distillery.runtime.batch.BatchConfig;
import io.distillery.runtime.classify.ClassifierModel;
import io.distillery.runtime.session.SessionConfig;
import io.distillery.runtime.session.SessionFactory;
import io.distillery.spark.label.DeepStack;
import io.distillery.spark.pipeline.SparkSettings;
import io.distillery.spark.pipeline.SparkSynthesizer;
import io.distillery.synth.filter.FilterConfig;
import io.distillery.synth.pipeline.SynthConfig;
import io.distillery.synth.pipeline.SynthSummary;
import io.distillery.synth.source.RawCorpusSource;
import io.distillery.synth.task.TaskSpec;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.apache.spark.SparkConf;
import org.apache.spark.api.java.JavaSparkContext;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * The Spark application: {@code distillery synth --corpus ...} with the teacher on executors. Its
 * options and defaults are those of {@code distillery synth} for a raw corpus, so the same flags
 * and seed write the same corpus; the Spark options only say how the work is spread.
 */
@Command(name = "spark-synth", mixinStandardHelpOptions = true,
    description = {"Writes a labelled synthetic corpus from a raw text corpus with the teacher on "
        + "Spark executors: the corpus `distillery synth --corpus` writes with the same options "
        + "and seed (JSON Lines shards + manifest.json), whatever the number of executors.",
        "Run it with spark-submit (the master comes from there) or, in local mode, with "
            + "scripts/spark-synth.sh --master 'local[2]'."})
public final class SparkSynthApp implements Callable<Integer> {
  @Spec CommandLine.Model.CommandSpec spec;

  @Option(names = "--teacher", required = true, paramLabel = "DIR",
      description = "Teacher classifier folder (model.onnx, tokenizer.json, config.json with id2label).")
  Path teacher;

  @Option(names = "--corpus", required = true, paramLabel = "FILE",
      description = "Raw text corpus: plain text, or JSON Lines with 'text'. Read by the driver.")
  Path corpus;

  @Option(names = "--unit", paramLabel = "line|sentence", defaultValue = "sentence",
      description = "How --corpus is cut into candidates (default: ${DEFAULT-VALUE}).")
  String unit;

  @Option(names = "--out", required = true, paramLabel = "DIR",
      description = "Corpus folder to write or resume (shard-*.jsonl, manifest.json), on the driver.")
  Path out;

  @Option(names = "--labels", split = ",", paramLabel = "a,b",
      description = "Task labels in the teacher's id order (default: the teacher's id2label).")
  List<String> labels;

  @Option(names = "--description", required = true, paramLabel = "TEXT",
      description = "One line saying what the task's texts are (the manifest records it).")
  String description;

  @Option(names = "--samples", defaultValue = "4000", description = "Samples to write (default: ${DEFAULT-VALUE}).")
  long samples;

  @Option(names = "--seed", defaultValue = "42", description = "Run seed (default: ${DEFAULT-VALUE}).")
  long seed;

  @Option(names = "--shard-size", description = "Samples per shard (default: 1000).")
  Integer shardSize;

  @Option(names = "--batch-size", description = "Candidates per synthesizer step (default: 32).")
  Integer batchSize;

  @Option(names = "--rebalance", description = "Cap each teacher label at samples / labels.")
  boolean rebalance;

  @Option(names = "--max-chars", description = "Length filter: longest text in characters.")
  Integer maxChars;

  @Option(names = "--max-words", description = "Length filter: longest text in words.")
  Integer maxWords;

  @Option(names = "--master", paramLabel = "URL",
      description = "Spark master when spark-submit gave none (default: local[*]).")
  String master;

  @Option(names = "--partitions", defaultValue = "0",
      description = "Partitions per labelling round (default: 0 = executor cores).")
  int partitions;

  @Option(names = "--max-round", defaultValue = "100000",
      description = "Most candidates per labelling round, i.e. per Spark job (default: ${DEFAULT-VALUE}).")
  int maxRound;

  @Option(names = "--teacher-on-shared-storage",
      description = "Executors open --teacher at the same path (NFS, or copied to every node) "
          + "instead of fetching it from the driver with SparkContext.addFile.")
  boolean sharedTeacher;

  @Option(names = "--json", description = "Print the summary as JSON.")
  boolean json;

  public static void main(String[] args) {
    // The driver opens the teacher: on a thread with a stack deep enough for ONNX Runtime (DeepStack).
    System.exit(DeepStack.call("spark-synth", () -> commandLine(new PrintWriter(System.out, true),
        new PrintWriter(System.err, true)).execute(args)));
  }

  /** The command line with Distillery's exit codes: 2 for bad input, 1 for a failed job. */
  public static CommandLine commandLine(PrintWriter out, PrintWriter err) {
    CommandLine cl = new CommandLine(new SparkSynthApp());
    cl.setOut(out);
    cl.setErr(err);
    cl.setExecutionExceptionHandler((ex, cmd, parsed) -> {
      if (ex instanceof DistilleryException de) {
        cmd.getErr().println("error: " + de.getMessage());
        return de.exitCode();
      }
      ex.printStackTrace(cmd.getErr());
      return ExitCode.FAILED;
    });
    cl.setParameterExceptionHandler((ex, args) -> {
      ex.getCommandLine().getErr().println("error: " + ex.getMessage());
      ex.getCommandLine().getErr().println("try: spark-synth --help");
      return ExitCode.BAD_INPUT;
    });
    return cl;
  }

  @Override
  public Integer call() throws Exception {
    RawCorpusSource.Unit cut = switch (unit) {
      case "line" -> RawCorpusSource.Unit.LINE;
      case "sentence" -> RawCorpusSource.Unit.SENTENCE;
      default -> throw new CommandLine.ParameterException(spec.commandLine(),
          "--unit must be line or sentence, got " + unit);
    };
    SparkSettings settings = SparkSettings.defaults().withPartitions(partitions).withMaxRound(maxRound)
        .withTeacherOnSharedStorage(sharedTeacher);
    RawCorpusSource source = RawCorpusSource.open(corpus, cut);
    SynthSummary s;
    // The driver's teacher gives the labels and provenance only; one thread is enough.
    try (ClassifierModel model = ClassifierModel.open(teacher, new SessionFactory(),
        SessionConfig.cpu().withIntraOpThreads(1), BatchConfig.defaults())) {
      SynthConfig config = config(task(model));
      SparkConf conf = new SparkConf().setAppName("distillery spark-synth");
      if (!conf.contains("spark.master")) {
        conf.setMaster(master != null ? master : "local[*]");
      }
      try (JavaSparkContext spark = new JavaSparkContext(conf)) {
        s = new SparkSynthesizer(spark, settings, System.err).synthesize(config, source, model, out);
      }
    }
    PrintWriter w = spec.commandLine().getOut();
    if (json) {
      w.println(Json.MAPPER.writeValueAsString(s));
      return ExitCode.OK;
    }
    w.printf(Locale.ROOT, "corpus    %s: %d of %d samples in %d shards (%s)%n", s.dir(), s.samples(),
        s.targetSamples(), s.shards(), s.complete() ? "complete" : "incomplete: rerun the same command to continue");
    w.printf("labels    %s%n", s.labelDistribution());
    w.printf("rejected  %s of %d candidates%n", s.rejections(), s.candidates());
    w.printf(Locale.ROOT, "this run  %d shards in %.1f s%n", s.shardsWritten(), s.seconds());
    return ExitCode.OK;
  }

  private TaskSpec task(ClassifierModel model) {
    List<String> names = model.labels().names();
    if (labels != null && !labels.stream().map(String::strip).toList().equals(names)) {
      throw new io.distillery.core.ConfigException(model.folder().config().orElse(model.folder().model())
          + ": the teacher's id2label is " + names + " but the task labels are " + labels
          + "; give the teacher's labels in its id order");
    }
    return new TaskSpec(names, description);
  }

  /** The settings `distillery synth` uses for a raw corpus with the same options. */
  SynthConfig config(TaskSpec task) {
    FilterConfig f = FilterConfig.defaults();
    if (maxChars != null || maxWords != null) {
      f = f.withLength(f.minChars(), maxChars != null ? maxChars : f.maxChars(), f.minWords(),
          maxWords != null ? maxWords : f.maxWords());
    }
    SynthConfig c = SynthConfig.defaults(task, samples).withSeed(seed).withFilters(f).withRebalance(rebalance);
    if (shardSize != null) {
      c = c.withShardSize(shardSize);
    }
    if (batchSize != null) {
      c = c.withBatchSize(batchSize);
    }
    return c;
  }
}
