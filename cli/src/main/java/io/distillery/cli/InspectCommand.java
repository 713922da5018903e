package io.distillery.cli;

import io.distillery.core.BadInputException;
import io.distillery.core.Json;
import io.distillery.export.inspect.ModelSummary;
import io.distillery.export.inspect.OnnxInspector;
import io.distillery.export.inspect.TensorSummary;
import io.distillery.runtime.model.ModelFolder;
import io.distillery.runtime.session.SessionFactory;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code distillery inspect PATH}: what an ONNX model holds, and which providers can run it. */
@Command(
    name = "inspect",
    description = "Show a model's inputs, outputs, opset, parameter count, size on disk and the "
        + "execution providers available here.")
final class InspectCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Parameters(paramLabel = "PATH", description = "A .onnx file or a model folder (model.onnx).")
  Path path;

  @Option(names = "--json", description = "Print JSON instead of text.")
  boolean json;

  @Override
  public Integer call() throws Exception {
    Path onnx = Files.isDirectory(path) ? path.resolve(ModelFolder.MODEL_FILE) : path;
    if (!Files.exists(onnx)) {
      throw BadInputException.of(onnx, "no such file (expected an ONNX model)");
    }
    ModelSummary s = OnnxInspector.inspect(onnx);
    String providers = SessionFactory.availableDevices().toString();
    PrintWriter out = spec.commandLine().getOut();
    if (json) {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("file", onnx.toString());
      m.put("summary", s);
      m.put("providers_available", SessionFactory.availableDevices());
      out.println(Json.MAPPER.writeValueAsString(m));
      return 0;
    }
    out.printf("file        %s%n", onnx);
    out.printf("producer    %s, IR %d, opsets %s%n", s.producer(), s.irVersion(), s.opsets());
    for (TensorSummary t : s.inputs()) {
      out.printf("input       %s%n", t);
    }
    for (TensorSummary t : s.outputs()) {
      out.printf("output      %s%n", t);
    }
    out.printf(Locale.ROOT, "parameters  %,d (%.1f M)%n", s.parameterCount(), s.parameterCount() / 1e6);
    out.printf(Locale.ROOT, "size        %,d bytes (%.1f MB)%n", s.fileBytes(), s.fileBytes() / 1e6);
    s.metadata().forEach((k, v) -> out.printf("metadata    %s = %s%n", k, abbreviate(v)));
    out.printf("providers   %s%n", providers);
    return 0;
  }

  private static String abbreviate(String v) {
    String one = v.replace('\n', ' ');
    return one.length() > 100 ? one.substring(0, 97) + "..." : one;
  }
}
