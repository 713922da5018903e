package io.distillery.cli;

import io.distillery.cli.pipeline.DistillStage;
import io.distillery.cli.pipeline.DistillSummary;
import io.distillery.cli.pipeline.RunConfig;
import io.distillery.core.Json;
import io.distillery.train.student.StudentConfig;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code distillery distill}: the distill (and export) stage of {@code run} on its own. */
@Command(
    name = "distill",
    description = {
        "Distil a small student from a synth corpus (shard checksums verified) with DJL on the "
            + "teacher's soft labels, export it to ONNX and write a Hugging Face style folder: "
            + "model.onnx, tokenizer.json (the teacher's), config.json with id2label, README.md "
            + "model card. The ONNX checker runs when python3-onnx is installed.",
        "Resumable: checkpoints go to --work (default: OUT.distill-work beside OUT); rerun the same "
            + "command to continue, delete that folder to start over."})
final class DistillCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Option(names = "--corpus", required = true, paramLabel = "DIR",
      description = "Complete corpus folder written by 'distillery synth' (manifest.json + shards).")
  Path corpus;

  @Option(names = "--teacher", required = true, paramLabel = "DIR",
      description = "The teacher folder that labelled the corpus (the student shares its tokenizer).")
  Path teacher;

  @Option(names = "--out", required = true, paramLabel = "DIR", description = "Student folder to write.")
  Path out;

  @Option(names = "--work", paramLabel = "DIR",
      description = "Checkpoint folder (default: OUT.distill-work, beside OUT).")
  Path work;

  @Option(names = "--dev", paramLabel = "FILE",
      description = "Real labelled JSON Lines (text, label) for model selection and early stop.")
  Path dev;

  @Option(names = "--seed", defaultValue = "42", description = "Seeds init, dropout and shuffling (default: ${DEFAULT-VALUE}).")
  long seed;

  @Option(names = "--threads", converter = OptionValues.NonNegativeInt.class,
      description = "PyTorch intra-op threads (default 0 = one per core; 1 is faster on a busy machine).")
  Integer threads;

  @Option(names = "--epochs", converter = OptionValues.PositiveInt.class, description = "Passes over the corpus (default: 10).")
  Integer epochs;

  @Option(names = "--batch-size", converter = OptionValues.PositiveInt.class, description = "Examples per step (default: 32).")
  Integer batchSize;

  @Option(names = "--learning-rate", converter = OptionValues.PositiveDouble.class, description = "Peak AdamW learning rate (default: 0.001).")
  Double learningRate;

  @Option(names = "--temperature", converter = OptionValues.PositiveDouble.class, description = "KD temperature (default: 2).")
  Double temperature;

  @Option(names = "--alpha", converter = OptionValues.Fraction.class, description = "Weight of the hard-label loss (default: 0).")
  Double alpha;

  @Option(names = "--patience", converter = OptionValues.NonNegativeInt.class,
      description = "Early stop after this many epochs without a better dev accuracy (0 = never; default: 4).")
  Integer patience;

  @Option(names = "--checkpoint-every", converter = OptionValues.PositiveInt.class, description = "Steps between checkpoints (default: 500).")
  Integer checkpointEvery;

  @Option(names = "--teacher-embeddings", negatable = true,
      description = "Start from the teacher's word embeddings (default: when it has an fp32 BERT table).")
  Boolean teacherEmbeddings;

  @Option(names = "--layers", converter = OptionValues.PositiveInt.class, description = "Student encoder layers (default: " + StudentConfig.DEFAULT_LAYERS + ").")
  Integer layers;

  @Option(names = "--width", converter = OptionValues.PositiveInt.class, description = "Student hidden width (default: " + StudentConfig.DEFAULT_WIDTH + ").")
  Integer width;

  @Option(names = "--heads", converter = OptionValues.PositiveInt.class, description = "Attention heads (default: " + StudentConfig.DEFAULT_HEADS + ").")
  Integer heads;

  @Option(names = "--ffn-width", converter = OptionValues.PositiveInt.class, description = "Feed-forward width (default: " + StudentConfig.DEFAULT_FFN_WIDTH + ").")
  Integer ffnWidth;

  @Option(names = "--embedding-dim", converter = OptionValues.PositiveInt.class, description = "Factorised embedding size (default: " + StudentConfig.DEFAULT_EMBEDDING_DIM + ").")
  Integer embeddingDim;

  @Option(names = "--dropout", converter = OptionValues.Fraction.class, description = "Dropout rate (default: " + StudentConfig.DEFAULT_DROPOUT + ").")
  Double dropout;

  @Option(names = "--holdout", converter = OptionValues.Fraction.class,
      description = "Without --dev: the share of the synthetic corpus held out (teacher labels) for"
          + " model selection and early stop; 0 = none, train a fixed number of epochs (default: "
          + DistillStage.DEFAULT_HOLDOUT + ").")
  Double holdout;

  @Option(names = "--json", description = "Print the distillation summary as JSON.")
  boolean json;

  @Override
  public Integer call() throws Exception {
    Path workDir = work != null ? work : besideOut();
    DistillSummary s = new DistillStage(corpus, teacher,
        new RunConfig.Student(layers, width, heads, ffnWidth, embeddingDim, dropout),
        new RunConfig.Distill(epochs, batchSize, learningRate, temperature, alpha, patience,
            teacherEmbeddings, checkpointEvery, threads, holdout),
        seed, dev, out, workDir).run(System.err);
    PrintWriter w = spec.commandLine().getOut();
    if (json) {
      w.println(Json.MAPPER.writeValueAsString(s));
      return 0;
    }
    w.printf(Locale.ROOT, "student      %s (model.onnx, tokenizer.json, config.json, README.md)%n", out);
    w.printf(Locale.ROOT, "distilled    %d corpus samples: %d steps, best epoch %d%s, %.1f s (%.0f tokens/s)%n",
        s.corpusSamples(), s.steps(), s.bestEpoch(), Double.isNaN(s.bestDevAccuracy()) ? ""
            : String.format(Locale.ROOT, ", dev accuracy %.4f", s.bestDevAccuracy()),
        s.trainSeconds(), s.tokensPerSecond());
    w.printf("checkpoints  %s (delete it to start over)%n", workDir);
    return 0;
  }

  /** {@code OUT.distill-work} next to the student folder, so the folder ships without checkpoints. */
  private Path besideOut() {
    Path abs = out.toAbsolutePath().normalize();
    return abs.resolveSibling(abs.getFileName() + ".distill-work");
  }
}
