package io.distillery.cli;

import io.distillery.core.Json;
import io.distillery.genkd.train.GenKdConfig;
import io.distillery.genkd.train.GenKdMethod;
import io.distillery.genkd.train.GenKdRun;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code distillery promptkd}: distil a causal LM into a smaller one (PromptKD or a baseline). */
@Command(
    name = "promptkd",
    description = {
        "Distil a generative teacher (a causal-LM folder with the KV-cache ONNX signature) into a "
            + "smaller GPT of the same tokenizer on instruction pairs cut from a general corpus. "
            + "--method prompt-kd: the student samples, a 7-token soft prompt on the frozen "
            + "teacher is tuned toward the student ((1-t/T) KL(pT'||pT) + KL(pT'||qS)), then the "
            + "student takes a reverse-KL step to the prompted teacher. Baselines: sft, word-kd, "
            + "seq-kd, reverse-kl.",
        "Resumable: rerun the same command to continue; --out holds genkd.jsonl (every loss "
            + "term per step), state/ and at the end a causal-LM folder `distillery generate` runs."},
    subcommands = {PromptKdEvalCommand.class})
final class PromptKdCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Option(names = "--teacher", defaultValue = "models/generator", paramLabel = "DIR",
      description = "Teacher causal-LM folder (default: ${DEFAULT-VALUE}).")
  Path teacher;

  @Option(names = "--student-init", paramLabel = "DIR",
      description = "Student folder to start from (same tokenizer), e.g. an sft run; default a fresh student.")
  Path studentInit;

  @Option(names = "--corpus", defaultValue = "models/build/general/corpus.jsonl", paramLabel = "FILE",
      description = "General corpus, JSON Lines with 'text' (default: ${DEFAULT-VALUE}).")
  Path corpus;

  // not picocli-required: a required option here would also be demanded by `promptkd eval`
  @Option(names = "--out", paramLabel = "DIR", description = "Output folder (required to train).")
  Path out;

  @Option(names = "--method", defaultValue = "prompt-kd",
      description = "prompt-kd, sft, word-kd, seq-kd or reverse-kl (default: ${DEFAULT-VALUE}).")
  String method;

  @Option(names = "--steps", defaultValue = "200", description = "Steps T (default: ${DEFAULT-VALUE}).")
  int steps;

  @Option(names = "--batch-size", defaultValue = "8", description = "Instructions per step (default: ${DEFAULT-VALUE}).")
  int batchSize;

  @Option(names = "--lr", defaultValue = "5e-4", description = "Student learning rate (default: ${DEFAULT-VALUE}).")
  double lr;

  @Option(names = "--prompt-lr", defaultValue = "1e-3", description = "Soft prompt learning rate (default: ${DEFAULT-VALUE}).")
  double promptLr;

  @Option(names = "--warmup", defaultValue = "20", description = "Warm-up steps, then constant (default: ${DEFAULT-VALUE}).")
  int warmup;

  @Option(names = "--prompt-tokens", defaultValue = "7", description = "Soft prompt length k (default: ${DEFAULT-VALUE}).")
  int promptTokens;

  @Option(names = "--regulariser", defaultValue = "linear",
      description = "Weight of KL(pT'||pT) in the prompt step: linear (1 - t/T, the paper), constant or off (default: ${DEFAULT-VALUE}).")
  String regulariser;

  @Option(names = "--student-layers", defaultValue = "2", description = "Fresh student layers (default: ${DEFAULT-VALUE}).")
  int layers;

  @Option(names = "--student-width", defaultValue = "128", description = "Fresh student width (default: ${DEFAULT-VALUE}).")
  int width;

  @Option(names = "--student-heads", defaultValue = "4", description = "Fresh student heads (default: ${DEFAULT-VALUE}).")
  int heads;

  @Option(names = "--max-new-tokens", defaultValue = "32", description = "Longest response (default: ${DEFAULT-VALUE}).")
  int maxNewTokens;

  @Option(names = "--checkpoint-every", defaultValue = "50", description = "Steps between checkpoints (default: ${DEFAULT-VALUE}).")
  int checkpointEvery;

  @Option(names = "--seed", defaultValue = "1", description = "Training seed (default: ${DEFAULT-VALUE}).")
  long seed;

  @Option(names = "--stop-at", defaultValue = "2147483647", hidden = true,
      description = "Stop after this many steps (resume later).")
  int stopAt;

  @Option(names = "--json", description = "Print the outcome as JSON.")
  boolean json;

  private String regularizerName() {
    String r = regulariser.strip().toUpperCase(Locale.ROOT);
    if (!List.of("LINEAR", "CONSTANT", "OFF").contains(r)) {
      throw new ParameterException(spec.commandLine(),
          "--regulariser: expected linear, constant or off, found '" + regulariser + "'");
    }
    return r;
  }

  @Override
  public Integer call() throws Exception {
    if (out == null) {
      throw new ParameterException(spec.commandLine(), "Missing required option: '--out=DIR'");
    }
    GenKdConfig config = GenKdConfig.defaults(GenKdMethod.parse(method), steps, seed)
        .with(GenKdMethod.parse(method), steps, batchSize, lr, promptLr, warmup, promptTokens, seed)
        .withStudent(new GenKdConfig.StudentShape(layers, width, heads))
        .withLengths(48, maxNewTokens, checkpointEvery)
        .withRegulariser(GenKdConfig.Regulariser.valueOf(regularizerName()));
    GenKdRun.Outcome o = new GenKdRun(teacher, studentInit, corpus, out, config)
        .run(System.err, stopAt);
    PrintWriter w = spec.commandLine().getOut();
    if (json) {
      w.println(Json.MAPPER.writeValueAsString(o));
      return 0;
    }
    w.printf(Locale.ROOT, "student %s: %s, %d of %d steps (%s), %.2f steps/s, last loss %.4f%n",
        o.out(), config.method().cliName(), o.training().endStep(), config.steps(),
        o.complete() ? "complete" : "incomplete", o.training().stepsPerSecond(),
        o.training().lastLoss());
    w.printf(Locale.ROOT, "data: %d training pairs, %d held-out pairs; student %d parameters;"
        + " soft prompt %d numbers = %.4f%% of the teacher's %d parameters%n", o.trainPairs(),
        o.heldOutPairs(), o.studentParameters(), o.promptNumbers(), 100 * o.promptShare(),
        o.teacherParameters());
    return 0;
  }
}
