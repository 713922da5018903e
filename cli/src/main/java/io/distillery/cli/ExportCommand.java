package io.distillery.cli;

import io.distillery.cli.pipeline.Int8StudentFolder;
import io.distillery.core.Json;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code distillery export --int8 --model DIR}: an int8 copy of an exported classifier folder. */
@Command(
    name = "export",
    description = "Re-export a classifier folder (the fp32 student that distill/run wrote): with "
        + "--int8, dynamic int8 quantisation of its MatMul weights (per output channel) and "
        + "embedding tables (per row), into a folder with the same tokenizer and labels.")
final class ExportCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Option(names = "--model", required = true, description = "fp32 classifier folder (model.onnx, tokenizer.json, config.json).")
  Path model;

  @Option(names = "--int8", description = "Quantise to int8 (DynamicQuantizeLinear + MatMulInteger; ONNX Runtime fuses them).")
  boolean int8;

  @Option(names = "--out", description = "Output folder (default: the model folder's name + '-int8', beside it).")
  Path out;

  @Option(names = "--json", description = "Print the summary as JSON.")
  boolean json;

  @Override
  public Integer call() throws Exception {
    if (!int8) {
      throw new ParameterException(spec.commandLine(),
          "export needs --int8 (distill and run already write the fp32 export)");
    }
    Path target = out != null ? out : Int8StudentFolder.defaultOut(model);
    Int8StudentFolder.Summary s = Int8StudentFolder.write(model, target);
    PrintWriter w = spec.commandLine().getOut();
    if (json) {
      w.println(Json.MAPPER.writeValueAsString(s));
    } else {
      w.printf(Locale.ROOT, "int8 student: %s (%d MatMuls, %d embedding tables quantised;"
          + " model.onnx %.1f MB -> %.1f MB; ONNX checker %s)%n", s.folder(), s.matMuls(),
          s.gathers(), s.fp32Bytes() / 1e6, s.int8Bytes() / 1e6,
          s.checked() ? "passed" : "not installed, skipped");
    }
    return 0;
  }
}
