package io.distillery.cli;

import io.distillery.core.AtomicFiles;
import io.distillery.core.Json;
import io.distillery.synth.bench.SynthBench;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code distillery bench synth}: synthesis samples/s, old path vs new, in one run. */
@Command(
    name = "synth",
    description = "Accepted samples/s of 'distillery synth' (generator -> cut -> filters -> teacher"
        + " -> shards, synth defaults), the old path (every continuation generated to max new"
        + " tokens, then cut) against the new one (continuations stop at their first-sentence cut;"
        + " rows leave the batch and waiting prompts take them), interleaved, medians: tokens"
        + " generated vs kept and seconds per phase.")
final class BenchSynthCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Option(names = "--generator", required = true, paramLabel = "DIR", description = "Generator folder.")
  Path generator;

  @Option(names = "--teacher", required = true, paramLabel = "DIR", description = "Teacher classifier folder.")
  Path teacher;

  @Option(names = "--samples", defaultValue = "1000", converter = OptionValues.PositiveLong.class,
      description = "Accepted samples per run (default: ${DEFAULT-VALUE}).")
  long samples;

  @Option(names = "--reps", defaultValue = "5", converter = OptionValues.PositiveInt.class,
      description = "Timed runs per path; medians are reported (default: ${DEFAULT-VALUE}).")
  int reps;

  @Option(names = "--batch-size", defaultValue = "32", converter = OptionValues.PositiveInt.class,
      description = "Candidates per draw, as synth's --batch-size (default: ${DEFAULT-VALUE}).")
  int batchSize;

  @Option(names = "--rows", defaultValue = "0", split = ",", paramLabel = "N[,N...]",
      description = "New path: rows in the generator's batch, one path per value (0 = the whole "
          + "draw at once; fewer rows than the draw refill freed rows) (default: ${DEFAULT-VALUE}).")
  List<Integer> rows;

  @Option(names = "--seed", defaultValue = "42", description = "Run seed (default: ${DEFAULT-VALUE}).")
  long seed;

  @Option(names = "--draw-ahead", description = "Also run the first new path with generator and "
      + "teacher on one intra-op thread each, in line and with the next batch generated while the "
      + "teacher labels this one (same corpus bytes).")
  boolean drawAhead;

  @Option(names = "--ahead-batch-sizes", split = ",", paramLabel = "N[,N...]",
      description = "With --draw-ahead: also draw ahead with these draw sizes (larger draws give"
          + " the teacher longer, length-sorted label calls; other draws write other texts)"
          + " (default: none).")
  List<Integer> aheadBatchSizes = List.of();

  @Option(names = "--label-teacher", paramLabel = "DIR", description = "With --draw-ahead: also"
      + " draw ahead labelling with this classifier folder, e.g. the teacher's int8 export"
      + " (distillery export --int8), at every draw size (default: none).")
  Path labelTeacher;

  @Option(names = "--out", paramLabel = "FILE", description = "Also write the report as JSON to this file.")
  Path out;

  @Option(names = "--json", description = "Print the report as JSON.")
  boolean json;

  @Override
  public Integer call() throws Exception {
    SynthBench.Report report = new SynthBench(System.err).run(new SynthBench.Config(generator,
        teacher, samples, reps, batchSize, rows, seed, drawAhead, aheadBatchSizes, labelTeacher));
    String asJson = Json.MAPPER.writeValueAsString(report);
    if (out != null) {
      AtomicFiles.writeString(out, asJson + "\n");
    }
    PrintWriter w = spec.commandLine().getOut();
    w.print(json ? asJson + "\n" : SynthBench.markdown(report));
    return 0;
  }
}
