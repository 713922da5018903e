package io.distillery.cli;

import io.distillery.cli.pipeline.GenerativePipeline;
import io.distillery.cli.pipeline.GenerativeRunConfig;
import io.distillery.cli.pipeline.Pipeline;
import io.distillery.cli.pipeline.RunConfig;
import io.distillery.cli.pipeline.RunConfigLoader;
import io.distillery.core.Json;
import io.distillery.runtime.bench.BenchReportFiles;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code distillery run CONFIG}: the whole chain, resumable stage by stage. */
@Command(
    name = "run",
    description = "Run synth -> label -> distil -> export -> bench from one config file (YAML or "
        + "JSON); rerun the same command to resume after an interruption. A config with "
        + "task: {kind: generative} runs SFT init -> PromptKD (or a baseline) -> eval instead.")
final class RunCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Parameters(paramLabel = "CONFIG", description = "Run config (see README: 'distillery run').")
  Path config;

  @Option(names = "--json", description = "Print the bench report as JSON.")
  boolean json;

  @Override
  public Integer call() throws Exception {
    if (GenerativeRunConfig.isGenerative(config)) {
      return GenerativeRunOutput.print(new GenerativePipeline(System.err)
          .run(GenerativeRunConfig.load(config)), json, spec.commandLine().getOut());
    }
    RunConfig c = RunConfigLoader.load(config);
    Pipeline.Result r = new Pipeline(System.err).run(c);
    PrintWriter w = spec.commandLine().getOut();
    if (r.report() == null) {
      w.printf("stopped early: corpus in %s is incomplete; rerun the same command to continue%n", r.corpus());
      return 0;
    }
    if (json) {
      w.println(Json.MAPPER.writeValueAsString(r.report()));
    } else {
      w.print(BenchReportFiles.markdown(r.report()));
      w.printf("student: %s%nreport:  %s/report.md (and report.json, report.png)%n", r.student(), r.bench());
    }
    return 0;
  }
}
