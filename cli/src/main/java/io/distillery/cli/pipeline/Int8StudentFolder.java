package io.distillery.cli.pipeline;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.distillery.core.AtomicFiles;
import io.distillery.core.BadInputException;
import io.distillery.core.Json;
import io.distillery.export.check.OnnxChecker;
import io.distillery.export.graph.OnnxModels;
import io.distillery.export.quantize.DynamicInt8Quantizer;
import io.distillery.runtime.model.ModelFolder;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Locale;

/**
 * An int8 copy of a classifier folder: model.onnx quantised by {@link DynamicInt8Quantizer}
 * (checked with the ONNX checker when it is installed), the same tokenizer.json, config.json with
 * a {@code distillery.quantization} entry, and a short card pointing at the fp32 folder.
 */
public final class Int8StudentFolder {
  /** What was written: the folder, the rewritten ops and the file sizes. */
  public record Summary(Path source, Path folder, int matMuls, int gathers, long fp32Bytes,
      long int8Bytes, boolean checked) {}

  private Int8StudentFolder() {}

  /** The default output folder: {@code <source>-int8} beside the source. */
  public static Path defaultOut(Path source) {
    Path abs = source.toAbsolutePath().normalize();
    return abs.resolveSibling(abs.getFileName() + "-int8");
  }

  /**
   * Quantises {@code source} (a model folder) into {@code out}.
   *
   * @throws BadInputException if {@code out} is the source folder
   */
  public static Summary write(Path source, Path out) {
    ModelFolder in = ModelFolder.of(source);
    if (Files.isDirectory(out) && sameFolder(in.dir(), out)) {
      throw BadInputException.of(out, "is the source folder; write the int8 copy elsewhere");
    }
    DynamicInt8Quantizer.Result r =
        DynamicInt8Quantizer.quantize(OnnxModels.read(in.model()), in.model());
    try {
      Files.createDirectories(out);
      Path model = out.resolve(ModelFolder.MODEL_FILE);
      OnnxModels.write(r.model(), model);
      boolean checked = OnnxChecker.isAvailable();
      if (checked) {
        OnnxChecker.check(model);
      }
      Files.copy(in.tokenizer(), out.resolve(ModelFolder.TOKENIZER_FILE),
          StandardCopyOption.REPLACE_EXISTING);
      ObjectNode config = in.config().isPresent()
          ? (ObjectNode) Json.MAPPER.readTree(in.config().get().toFile())
          : Json.MAPPER.createObjectNode();
      JsonNode d = config.path("distillery");
      ObjectNode distillery = d.isObject() ? (ObjectNode) d : config.putObject("distillery");
      distillery.put("quantization", DynamicInt8Quantizer.METADATA_VALUE);
      distillery.put("quantized_from", in.dir().toAbsolutePath().normalize().toString());
      AtomicFiles.writeString(out.resolve(ModelFolder.CONFIG_FILE),
          Json.MAPPER.writeValueAsString(config) + "\n");
      Summary s = new Summary(in.dir(), out, r.matMuls(), r.gathers(), Files.size(in.model()),
          Files.size(model), checked);
      AtomicFiles.writeString(out.resolve("README.md"), card(s));
      return s;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static String card(Summary s) {
    return String.format(Locale.ROOT, "# Distillery student, int8%n%n"
        + "Quantised from `%s` (its README.md says how that model was made) by `distillery export"
        + " --int8`: %s. %d MatMuls and %d embedding lookups rewritten; model.onnx %.1f MB ->"
        + " %.1f MB. Measure it beside the fp32 model with `distillery bench --teacher T"
        + " --student %s --student %s --data test.jsonl`.%n",
        s.source(), DynamicInt8Quantizer.METADATA_VALUE, s.matMuls(), s.gathers(),
        s.fp32Bytes() / 1e6, s.int8Bytes() / 1e6, s.source(), s.folder());
  }

  private static boolean sameFolder(Path a, Path b) {
    try {
      return Files.isSameFile(a, b);
    } catch (IOException e) {
      return false;
    }
  }
}
