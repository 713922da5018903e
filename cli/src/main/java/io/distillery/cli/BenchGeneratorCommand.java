package io.distillery.cli;

import io.distillery.core.Json;
import io.distillery.core.JsonlReader;
import io.distillery.runtime.bench.GenerationBench;
import io.distillery.runtime.session.SessionConfig;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code distillery bench generator}: new tokens/s of a causal LM, cached vs uncached, one run. */
@Command(
    name = "generator",
    description = "New tokens/s of a generator folder (model.onnx + tokenizer.json): the KV-cached "
        + "path at batch 1, 16 and 64 and the no-cache path at batch 1 and 16 (8-token prompts, 64 "
        + "new tokens, greedy), against the arithmetic limit 2 x parameters FLOPs per token at the "
        + "MatMul GFLOP/s measured in the same run.")
final class BenchGeneratorCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Option(names = "--model", defaultValue = "models/generator", description = "Generator folder (default: ${DEFAULT-VALUE}).")
  Path model;

  @Option(names = "--baseline", paramLabel = "DIR", description = "Another generator folder measured in the same round-robin (e.g. the same weights in the previous graph).")
  Path baseline;

  @Option(names = "--texts", paramLabel = "FILE", description = "With --baseline: JSON Lines with"
      + " 'text'; the model is also compared with the baseline by teacher forcing on these texts"
      + " (bits/byte, KL, next-token agreement), e.g. an int8 export against its fp32 source.")
  Path texts;

  @Option(names = "--texts-limit", defaultValue = "500", description = "Texts read from --texts,"
      + " the last of the file first (default: ${DEFAULT-VALUE}).")
  int textsLimit;

  @Option(names = "--no-spin", description = "Open the sessions with ONNX Runtime's intra-op"
      + " threads not spinning between calls (default: spinning, ORT's default).")
  boolean noSpin;

  @Option(names = "--threads", defaultValue = "0", description = "Intra-op threads (0 = one per core).")
  int threads;

  @Option(names = "--reps", defaultValue = "3", description = "Timed runs per configuration; the median is reported (default: ${DEFAULT-VALUE}).")
  int reps;

  @Option(names = "--out", description = "Folder for bench.md and bench.json.")
  Path out;

  @Option(names = "--json", description = "Print the report as JSON.")
  boolean json;

  @Override
  public Integer call() throws Exception {
    if (reps < 1) {
      throw new picocli.CommandLine.ParameterException(spec.commandLine(),
          "--reps: expected a count >= 1, found " + reps);
    }
    int t = threads > 0 ? threads : Runtime.getRuntime().availableProcessors();
    if (texts != null && baseline == null) {
      throw new picocli.CommandLine.ParameterException(spec.commandLine(),
          "--texts compares the model with a --baseline; give one");
    }
    List<String> agreementTexts = texts == null ? List.of() : lastTexts(texts, textsLimit);
    GenerationBench.Report report = GenerationBench.run(model, baseline,
        SessionConfig.cpu().withIntraOpThreads(t).withSpinning(!noSpin), reps, System.err,
        agreementTexts);
    if (out != null) {
      GenerationBench.write(report, out);
    }
    PrintWriter w = spec.commandLine().getOut();
    w.print(json ? Json.MAPPER.writeValueAsString(report) + "\n" : GenerationBench.markdown(report));
    return 0;
  }

  /** The last {@code limit} texts of a JSON Lines file (a corpus's end: its held-out part). */
  private static List<String> lastTexts(Path file, int limit) {
    ArrayDeque<String> last = new ArrayDeque<>();
    try (JsonlReader r = JsonlReader.open(file)) {
      while (r.hasNext()) {
        last.addLast(r.requireText(r.next(), "text"));
        if (last.size() > limit) {
          last.removeFirst();
        }
      }
    }
    return new ArrayList<>(last);
  }
}
