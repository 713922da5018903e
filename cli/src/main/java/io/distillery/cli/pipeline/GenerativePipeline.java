package io.distillery.cli.pipeline;

import io.distillery.genkd.eval.GenKdEvaluation;
import io.distillery.genkd.train.GenKdRun;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.LongStream;

/**
 * {@code distillery run} for a generative task: SFT init ({@code out/sft-init}, unless
 * {@code student.init} is given) → distillation ({@code out/student}) → evaluation of teacher and
 * student on held-out prefixes ({@code out/eval}). Each training stage resumes from its own
 * checkpoint; a finished stage (its folder holds model.onnx) is skipped.
 */
public final class GenerativePipeline {
  private final PrintStream log;

  /** The student folder and the evaluation (null while a stage is unfinished). */
  public record Result(Path student, GenKdEvaluation.Report report) {}

  public GenerativePipeline(PrintStream log) {
    this.log = log;
  }

  public Result run(GenerativeRunConfig c) {
    Path init = c.student().init();
    if (init == null) {
      init = c.out().resolve("sft-init");
      if (!stage(new GenKdRun(c.teacher(), null, c.corpus(), init, c.sftConfig()))) {
        return new Result(null, null);
      }
    }
    Path student = c.out().resolve("student");
    if (!stage(new GenKdRun(c.teacher(), init, c.corpus(), student, c.distillConfig()))) {
      return new Result(null, null);
    }
    List<Long> seeds = LongStream.rangeClosed(1, c.eval().samplingSeeds() == null ? 5
        : c.eval().samplingSeeds()).boxed().toList();
    GenKdEvaluation.Settings s = new GenKdEvaluation.Settings(c.eval().prefixes() == null ? 500
        : c.eval().prefixes(), seeds, c.distillConfig().maxNewTokens(), 3);
    GenKdEvaluation.Report r = GenKdEvaluation.evaluate(c.teacher(), List.of(
        new GenKdEvaluation.Entry(c.distillConfig().method().cliName(), student)), c.corpus(), s,
        log);
    return new Result(student, r);
  }

  private boolean stage(GenKdRun run) {
    if (Files.isRegularFile(run.out().resolve("model.onnx"))) {
      log.printf("[run] %s is done, skipped%n", run.out());
      return true;
    }
    return run.run(log, Integer.MAX_VALUE).complete();
  }
}
