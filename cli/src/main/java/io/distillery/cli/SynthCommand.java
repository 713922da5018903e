package io.distillery.cli;

import io.distillery.cli.pipeline.RunConfig;
import io.distillery.cli.pipeline.SynthStage;
import io.distillery.core.Json;
import io.distillery.synth.pipeline.SynthSummary;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code distillery synth}: the synth stage of {@code run} on its own. */
@Command(
    name = "synth",
    description = {
        "Write a teacher-labelled synthetic corpus: generator (template prompts from the task) or "
            + "raw corpus -> length, repetition and dedup filters -> teacher soft labels -> JSON "
            + "Lines shards + manifest.json (counts and SHA-256 per shard).",
        "Resumable: rerun the same command to continue an interrupted corpus; a folder made with "
            + "other settings is refused."})
final class SynthCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Option(names = "--teacher", required = true, paramLabel = "DIR",
      description = "Teacher classifier folder (model.onnx, tokenizer.json, config.json with id2label).")
  Path teacher;

  @Option(names = "--out", required = true, paramLabel = "DIR",
      description = "Corpus folder to write or resume (shard-*.jsonl, manifest.json).")
  Path out;

  @ArgGroup(exclusive = true, multiplicity = "1")
  Source source;

  /** Exactly one text source. */
  static final class Source {
    @Option(names = "--generator", paramLabel = "DIR", required = true,
        description = "Generator folder (causal LM, Optimum text-generation-with-past signature).")
    Path generator;

    @Option(names = "--corpus", paramLabel = "FILE", required = true,
        description = "Raw text corpus instead of a generator: plain text, or JSON Lines with 'text'.")
    Path corpus;
  }

  @Option(names = "--unit", paramLabel = "line|sentence",
      description = "How --corpus is cut into candidates: sentence (default) or line.")
  RunConfig.Unit unit;

  @Option(names = "--labels", split = ",", paramLabel = "a,b",
      description = "Task labels in the teacher's id order; must equal the teacher's id2label "
          + "(default: the teacher's).")
  List<String> labels;

  @Option(names = "--description", required = true, paramLabel = "TEXT",
      description = "One line saying what the task's texts are (prompts and the manifest use it).")
  String description;

  @Option(names = "--samples", converter = OptionValues.PositiveLong.class,
      description = "Samples to write (default: " + SynthStage.DEFAULT_SAMPLES + ").")
  Long samples;

  @Option(names = "--seed", defaultValue = "42", description = "Run seed (default: ${DEFAULT-VALUE}).")
  long seed;

  @Option(names = "--shard-size", converter = OptionValues.PositiveInt.class,
      description = "Samples per shard (default: 1000).")
  Integer shardSize;

  @Option(names = "--batch-size", converter = OptionValues.PositiveInt.class,
      description = "Candidates drawn per step, the generator's batch and the teacher's label"
          + " call (default: " + SynthStage.DEFAULT_BATCH_SIZE + ").")
  Integer batchSize;

  @Option(names = "--rebalance",
      description = "Cap each teacher label at samples / labels (skips the surplus; default: off).")
  Boolean rebalance;

  @Option(names = "--max-new-tokens", converter = OptionValues.PositiveInt.class,
      description = "Generator: tokens per continuation (default: 48).")
  Integer maxNewTokens;

  @Option(names = "--temperature", converter = OptionValues.PositiveDouble.class,
      description = "Generator: sampling temperature (default: 0.9).")
  Double temperature;

  @Option(names = "--top-p", converter = OptionValues.Fraction.class,
      description = "Generator: nucleus sampling mass (default: 0.95).")
  Double topP;

  @Option(names = "--max-shards", converter = OptionValues.NonNegativeInt.class,
      description = "Stop after this many new shards (default: 0 = no limit); a rerun continues.")
  Integer maxShards;

  @Option(names = "--max-chars", converter = OptionValues.PositiveInt.class,
      description = "Length filter: longest text in characters (default: 600; raise it for long texts).")
  Integer maxChars;

  @Option(names = "--max-words", converter = OptionValues.PositiveInt.class,
      description = "Length filter: longest text in words (default: 120).")
  Integer maxWords;

  @Option(names = "--draw-ahead", negatable = true, fallbackValue = "true",
      description = "Generate the next batch while the teacher labels this one, generator and"
          + " teacher on half the cores each; the corpus bytes do not change (default: on for a"
          + " generator source on 2 or more cores; --no-draw-ahead turns it off).")
  Boolean drawAhead;

  @Option(names = "--json", description = "Print the summary as JSON.")
  boolean json;

  @Override
  public Integer call() throws Exception {
    if (unit != null && source.corpus == null) {
      throw new ParameterException(spec.commandLine(), "--unit applies to --corpus only");
    }
    RunConfig.Source from = source.generator != null
        ? new RunConfig.Source(RunConfig.SourceKind.generator, source.generator, null, null)
        : new RunConfig.Source(RunConfig.SourceKind.raw_corpus, null, source.corpus, unit);
    RunConfig.Synth settings = new RunConfig.Synth(samples, shardSize, batchSize, rebalance,
        maxNewTokens, temperature, topP, maxShards, maxChars, maxWords, drawAhead);
    List<String> names = labels == null ? null : labels.stream().map(String::strip).toList();
    SynthSummary s = new SynthStage(teacher, from, RunConfig.Prompts.templates(), names,
        description, seed, settings, out).run(System.err);
    PrintWriter w = spec.commandLine().getOut();
    if (json) {
      w.println(Json.MAPPER.writeValueAsString(s));
      return 0;
    }
    w.printf(Locale.ROOT, "corpus    %s: %d of %d samples in %d shards (%s)%n", s.dir(),
        s.samples(), s.targetSamples(), s.shards(),
        s.complete() ? "complete" : "incomplete: rerun the same command to continue");
    w.printf("labels    %s%n", s.labelDistribution());
    w.printf("rejected  %s of %d candidates%n", s.rejections(), s.candidates());
    w.printf(Locale.ROOT, "this run  %d shards in %.1f s%n", s.shardsWritten(), s.seconds());
    return 0;
  }
}
