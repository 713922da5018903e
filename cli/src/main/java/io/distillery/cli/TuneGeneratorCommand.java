package io.distillery.cli;

import io.distillery.core.Json;
import io.distillery.learn.reward.RewardWeights;
import io.distillery.learn.t3.T3Config;
import io.distillery.learn.t3.T3Run;
import io.distillery.learn.t3.T3Tuner;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code distillery tune-generator}: DFKD-T3 tuning of a generator on its own. */
@Command(
    name = "tune-generator",
    description = {
        "Fine-tune a generator (DFKD-T3) so that it rewrites general-corpus sentences into task "
            + "text: prompt = sentence + label template, reward = teacher confidence in the "
            + "intended label + bigram novelty (filtered texts -1), minus beta * KL to the "
            + "original; REINFORCE in DJL, then the tuned generator is exported to ONNX.",
        "Resumable: rerun the same command to continue; --out then holds tuning.jsonl and the "
            + "checkpoint, and at the end an ordinary generator folder."})
final class TuneGeneratorCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Option(names = "--generator", required = true, paramLabel = "DIR",
      description = "Generator folder to tune (model.onnx with GPT-2 weight names, tokenizer.json).")
  Path generator;

  @Option(names = "--teacher", required = true, paramLabel = "DIR",
      description = "Teacher classifier folder (model.onnx, tokenizer.json, config.json with id2label).")
  Path teacher;

  @Option(names = "--corpus", required = true, paramLabel = "FILE",
      description = "General-domain corpus: plain text, or JSON Lines with 'text'; cut into sentences.")
  Path corpus;

  @Option(names = "--out", required = true, paramLabel = "DIR",
      description = "Tuned generator folder to write or resume.")
  Path out;

  @Option(names = "--labels", split = ",", paramLabel = "a,b",
      description = "Task labels in the teacher's id order (default: the teacher's id2label).")
  List<String> labels;

  @Option(names = "--description", required = true, paramLabel = "TEXT",
      description = "One line saying what the task's texts are.")
  String description;

  @Option(names = "--steps", defaultValue = "100",
      description = "Policy-gradient steps (default: ${DEFAULT-VALUE}).")
  int steps;

  @Option(names = "--batch-size", defaultValue = "16",
      description = "Prompts per step (default: ${DEFAULT-VALUE}).")
  int batchSize;

  @Option(names = "--seed", defaultValue = "42", description = "Run seed (default: ${DEFAULT-VALUE}).")
  long seed;

  @Option(names = "--lr", defaultValue = "1e-4", description = "Learning rate (default: ${DEFAULT-VALUE}).")
  double learningRate;

  @Option(names = "--kl", defaultValue = "0.05",
      description = "Weight of the KL to the original generator (default: ${DEFAULT-VALUE}).")
  double kl;

  @Option(names = "--max-new-tokens", defaultValue = "48",
      description = "Tokens written per prompt before the cut (default: ${DEFAULT-VALUE}).")
  int maxNewTokens;

  @Option(names = "--temperature", defaultValue = "1.0",
      description = "Sampling temperature (default: ${DEFAULT-VALUE}).")
  double temperature;

  @Option(names = "--checkpoint-every", defaultValue = "25",
      description = "Steps between checkpoints (default: ${DEFAULT-VALUE}).")
  int checkpointEvery;

  @Option(names = "--json", description = "Print the result as JSON.")
  boolean json;

  @Override
  public Integer call() throws Exception {
    T3Config config = T3Config.defaults(steps, batchSize, seed)
        .withLearning(learningRate, kl, RewardWeights.defaults())
        .withSampling(maxNewTokens, temperature, 0)
        .withCheckpointEvery(checkpointEvery);
    List<String> names = labels == null ? null : labels.stream().map(String::strip).toList();
    T3Tuner.Result r = new T3Run(generator, teacher, corpus, out, names, description, config)
        .run(System.err);
    PrintWriter w = spec.commandLine().getOut();
    if (json) {
      w.println(Json.MAPPER.writeValueAsString(r));
      return 0;
    }
    w.printf(Locale.ROOT, "generator %s: %d of %d steps (%s), %.3f steps/s%n", r.outDir(),
        r.endStep(), config.steps(), r.complete() ? "complete" : "incomplete", r.stepsPerSecond());
    w.printf("start     %s%n", r.summary().get("start"));
    w.printf("end       %s%n", r.summary().get("end"));
    return 0;
  }
}
