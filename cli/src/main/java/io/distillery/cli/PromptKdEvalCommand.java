package io.distillery.cli;

import io.distillery.core.AtomicFiles;
import io.distillery.core.Json;
import io.distillery.genkd.eval.GenKdEvaluation;
import io.distillery.genkd.eval.ResultsTable;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code distillery promptkd eval}: the PromptKD results table on held-out prefixes. */
@Command(
    name = "eval",
    description = "Score a teacher and students on held-out prefixes of the corpus (documents "
        + "never trained on): ROUGE-L F x100 (stemmed words) vs the reference continuation and vs "
        + "the teacher's samples, sampled at temperature 1 through ONNX Runtime; held-out "
        + "perplexity of the references; new tokens/s at batch 16 with the KV cache (teacher and "
        + "first student in one run). Students with the same label are training seeds of one "
        + "method: a cell is their mean +- sd.")
final class PromptKdEvalCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Option(names = "--teacher", defaultValue = "models/generator", paramLabel = "DIR",
      description = "Teacher causal-LM folder (default: ${DEFAULT-VALUE}).")
  Path teacher;

  @Option(names = "--student", paramLabel = "LABEL=DIR",
      description = "A student folder and its row label; repeat (same label = another training seed).")
  List<String> students = new ArrayList<>();

  @Option(names = "--corpus", defaultValue = "models/build/general/corpus.jsonl", paramLabel = "FILE",
      description = "The corpus the students were trained from (default: ${DEFAULT-VALUE}).")
  Path corpus;

  @Option(names = "--prefixes", defaultValue = "500", description = "Held-out prefixes (default: ${DEFAULT-VALUE}).")
  int prefixes;

  @Option(names = "--sampling-seeds", defaultValue = "5", description = "Samples per prefix, seeds 1..n (default: ${DEFAULT-VALUE}).")
  int samplingSeeds;

  @Option(names = "--max-new-tokens", defaultValue = "32", description = "Response budget (default: ${DEFAULT-VALUE}).")
  int maxNewTokens;

  @Option(names = "--bench-reps", defaultValue = "5", description = "Timed runs per model; 0 skips the bench (default: ${DEFAULT-VALUE}).")
  int benchReps;

  @Option(names = "--out", paramLabel = "DIR", description = "Folder for results.json and results.md.")
  Path out;

  @Option(names = "--json", description = "Print the report as JSON.")
  boolean json;

  @Override
  public Integer call() throws Exception {
    List<GenKdEvaluation.Entry> entries = new ArrayList<>();
    for (String s : students) {
      int eq = s.indexOf('=');
      if (eq <= 0 || eq == s.length() - 1) {
        throw new ParameterException(spec.commandLine(),
            "--student: expected LABEL=DIR, found '" + s + "'");
      }
      entries.add(new GenKdEvaluation.Entry(s.substring(0, eq), Path.of(s.substring(eq + 1))));
    }
    List<Long> seeds = new ArrayList<>();
    for (long i = 1; i <= samplingSeeds; i++) {
      seeds.add(i);
    }
    GenKdEvaluation.Report r = GenKdEvaluation.evaluate(teacher, entries, corpus,
        new GenKdEvaluation.Settings(prefixes, seeds, maxNewTokens, benchReps), System.err);
    String md = ResultsTable.markdown(r);
    if (out != null) {
      Files.createDirectories(out);
      AtomicFiles.writeBytes(out.resolve("results.json"),
          Json.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsBytes(r));
      AtomicFiles.writeString(out.resolve("results.md"), md);
    }
    PrintWriter w = spec.commandLine().getOut();
    w.print(json ? Json.MAPPER.writeValueAsString(r) + "\n" : md);
    return 0;
  }
}
