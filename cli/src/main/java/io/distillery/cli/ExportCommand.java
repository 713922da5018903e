package io.distillery.cli;

import io.distillery.cli.pipeline.GeneratorReexport;
import io.distillery.cli.pipeline.StudentReexport;
import io.distillery.core.Json;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code distillery export --model DIR [--int8]}: a new export of a student folder. */
@Command(
    name = "export",
    description = "Export a student (or generator) folder again: its graph is rebuilt from its "
        + "weights by the current exporter; with --int8, dynamic int8 quantisation of the MatMul weights (per "
        + "output channel) and the vocabulary table (per row), into a folder with the same "
        + "tokenizer and labels (any fp32 classifier folder can be quantised).")
final class ExportCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Option(names = "--model", required = true, description = "fp32 classifier folder (model.onnx, tokenizer.json, config.json).")
  Path model;

  @Option(names = "--int8", description = "Quantise to int8 (DynamicQuantizeLinear + MatMulInteger; ONNX Runtime fuses them); for a"
      + " generator, its block and logits-head MatMuls.")
  boolean int8;

  @Option(names = "--ort-fused", description = "Write the blocks with ONNX Runtime's fused kernels"
      + " (com.microsoft Attention for a student, MultiHeadAttention over the KV cache for a"
      + " generator; SkipLayerNormalization, BiasGelu): same inputs, outputs and function, fewer"
      + " kernels per call, but the file runs on ONNX Runtime only. Combines with --int8.")
  boolean ortFused;

  @Option(names = "--out", description = "Output folder (default: the model folder's name + '-int8' or '-export', beside it).")
  Path out;

  @Option(names = "--json", description = "Print the summary as JSON.")
  boolean json;

  @Override
  public Integer call() throws Exception {
    Path target = out != null ? out : StudentReexport.defaultOut(model, int8, ortFused);
    if (GeneratorReexport.isGenerator(model)) {
      long bytes = int8 ? GeneratorReexport.writeInt8(model, target, ortFused)
          : GeneratorReexport.write(model, target, ortFused);
      spec.commandLine().getOut().printf(Locale.ROOT, "%s%s: %s; model.onnx %.1f MB%n",
          ortFused ? "fused " : "", int8 ? "int8 generator" : "generator", target, bytes / 1e6);
      return 0;
    }
    StudentReexport.Summary s = StudentReexport.write(model, target, int8, ortFused);
    PrintWriter w = spec.commandLine().getOut();
    if (json) {
      w.println(Json.MAPPER.writeValueAsString(s));
    } else {
      w.printf(Locale.ROOT, "%s: %s%s; model.onnx %.1f MB -> %.1f MB; ONNX checker %s%n",
          (s.ortFused() ? "fused " : "") + (s.int8() ? "int8 student" : "student"), s.folder(),
          s.int8() ? String.format(Locale.ROOT, " (%d MatMuls, %d embedding table(s) quantised)",
              s.matMuls(), s.gathers()) : "",
          s.sourceBytes() / 1e6, s.bytes() / 1e6, s.checked() ? "passed" : "not installed, skipped");
    }
    return 0;
  }
}
