package io.distillery.cli.pipeline;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.distillery.core.AtomicFiles;
import io.distillery.core.BadInputException;
import io.distillery.core.Json;
import io.distillery.export.check.OnnxChecker;
import io.distillery.export.graph.ContribOp;
import io.distillery.export.graph.OnnxModels;
import io.distillery.export.onnx.OnnxProto.ModelProto;
import io.distillery.export.onnx.OnnxProto.StringStringEntryProto;
import io.distillery.export.quantize.DynamicInt8Quantizer;
import io.distillery.export.student.StudentExporter;
import io.distillery.export.student.StudentWeights;
import io.distillery.runtime.model.ModelFolder;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * A new export of a classifier folder: a Distillery student's graph is rebuilt from its weights
 * (read back from model.onnx) by the current {@link StudentExporter}, so older students get the
 * current graph; with int8, the result is quantised by {@link DynamicInt8Quantizer} (any fp32
 * classifier can be quantised as it is). The folder gets model.onnx (checked with the ONNX checker
 * when it is installed), the same tokenizer.json, config.json (with a {@code distillery.
 * quantization} entry for int8) and a short card pointing at the source folder.
 */
public final class StudentReexport {
  /** What was written: the folder, the rewritten ops and the file sizes. */
  public record Summary(Path source, Path folder, boolean rebuilt, boolean int8, boolean ortFused,
      int matMuls, int gathers, long sourceBytes, long bytes, boolean checked) {}

  private StudentReexport() {}

  /**
   * The default output folder beside the source: {@code <source>-int8}, {@code -fused}, {@code
   * -fused-int8} or {@code -export}.
   */
  public static Path defaultOut(Path source, boolean int8, boolean ortFused) {
    Path abs = source.toAbsolutePath().normalize();
    String suffix = ortFused ? (int8 ? "-fused-int8" : "-fused") : int8 ? "-int8" : "-export";
    return abs.resolveSibling(abs.getFileName() + suffix);
  }

  /**
   * Re-exports {@code source} (a model folder) into {@code out}.
   *
   * @throws BadInputException if {@code out} is the source folder, the model is already int8, or
   *     it is not a Distillery student and {@code int8} is off (nothing to do)
   */
  public static Summary write(Path source, Path out, boolean int8) {
    return write(source, out, int8, false);
  }

  /**
   * Re-exports {@code source} (a model folder) into {@code out}, with {@code ortFused} in ONNX
   * Runtime's fused kernels ({@link StudentExporter#build(StudentWeights, Map, boolean)}).
   *
   * @throws BadInputException as {@link #write(Path, Path, boolean)}, or if {@code ortFused} is
   *     asked of a model that is not a Distillery student
   */
  public static Summary write(Path source, Path out, boolean int8, boolean ortFused) {
    ModelFolder in = ModelFolder.of(source);
    if (Files.isDirectory(out) && sameFolder(in.dir(), out)) {
      throw BadInputException.of(out, "is the source folder; write the export elsewhere");
    }
    ModelProto model = OnnxModels.read(in.model());
    Map<String, String> metadata = new LinkedHashMap<>();
    model.getMetadataPropsList().forEach(e -> metadata.put(e.getKey(), e.getValue()));
    if (metadata.containsKey(DynamicInt8Quantizer.METADATA_KEY)) {
      throw BadInputException.of(in.model(), "already quantised ("
          + DynamicInt8Quantizer.METADATA_KEY + " = " + metadata.get(DynamicInt8Quantizer.METADATA_KEY)
          + "); export the fp32 model");
    }
    boolean rebuilt = metadata.containsKey(StudentWeights.ARCHITECTURE_KEY);
    metadata.remove(ContribOp.METADATA_KEY); // the exporter sets it again when asked
    if (rebuilt) {
      model = StudentExporter.build(StudentWeights.read(model, in.model()), metadata, ortFused);
    } else if (ortFused) {
      throw BadInputException.of(in.model(), "is not a Distillery student (no '"
          + StudentWeights.ARCHITECTURE_KEY + "' metadata), so its graph cannot be rebuilt with"
          + " fused kernels; drop --ort-fused");
    } else if (!int8) {
      throw BadInputException.of(in.model(), "is not a Distillery student (no '"
          + StudentWeights.ARCHITECTURE_KEY + "' metadata), so there is nothing to rebuild; "
          + "add --int8 to quantise it as it is");
    }
    int matMuls = 0;
    int gathers = 0;
    if (int8) {
      DynamicInt8Quantizer.Result r = DynamicInt8Quantizer.quantize(model, in.model());
      model = r.model();
      matMuls = r.matMuls();
      gathers = r.gathers();
    }
    try {
      Files.createDirectories(out);
      Path file = out.resolve(ModelFolder.MODEL_FILE);
      OnnxModels.write(model, file);
      boolean checked = OnnxChecker.isAvailable();
      if (checked) {
        OnnxChecker.check(file);
      }
      Files.copy(in.tokenizer(), out.resolve(ModelFolder.TOKENIZER_FILE),
          StandardCopyOption.REPLACE_EXISTING);
      ObjectNode config = in.config().isPresent()
          ? (ObjectNode) Json.MAPPER.readTree(in.config().get().toFile())
          : Json.MAPPER.createObjectNode();
      JsonNode d = config.path("distillery");
      ObjectNode distillery = d.isObject() ? (ObjectNode) d : config.putObject("distillery");
      if (int8) {
        distillery.put("quantization", DynamicInt8Quantizer.METADATA_VALUE);
      }
      distillery.put("exported_from", in.dir().toAbsolutePath().normalize().toString());
      if (ortFused) {
        distillery.put("ort_fused", StudentExporter.ORT_FUSED_VALUE);
      } else {
        distillery.remove("ort_fused");
      }
      AtomicFiles.writeString(out.resolve(ModelFolder.CONFIG_FILE),
          Json.MAPPER.writeValueAsString(config) + "\n");
      Summary s = new Summary(in.dir(), out, rebuilt, int8, ortFused, matMuls, gathers,
          Files.size(in.model()), Files.size(file), checked);
      AtomicFiles.writeString(out.resolve("README.md"), card(s));
      return s;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static String card(Summary s) {
    StringBuilder sb = new StringBuilder(s.int8() ? "# Distillery student, int8\n\n"
        : "# Distillery student\n\n");
    sb.append(String.format(Locale.ROOT, "Exported from `%s` (its README.md says how the model was"
        + " made) by `distillery export%s%s`", s.source(), s.int8() ? " --int8" : "",
        s.ortFused() ? " --ort-fused" : ""));
    sb.append(s.rebuilt() ? ": graph rebuilt from its weights by the current exporter" : "");
    if (s.ortFused()) {
      sb.append(" with ONNX Runtime's fused kernels (com.microsoft Attention, SkipLayerNormalization,"
          + " BiasGelu): this file runs on ONNX Runtime only");
    }
    if (s.int8()) {
      sb.append(String.format(Locale.ROOT, "; %s. %d MatMuls and %d embedding table(s) quantised",
          DynamicInt8Quantizer.METADATA_VALUE, s.matMuls(), s.gathers()));
    }
    sb.append(String.format(Locale.ROOT, "; model.onnx %.1f MB -> %.1f MB.%n", s.sourceBytes() / 1e6,
        s.bytes() / 1e6));
    if (s.int8()) {
      sb.append(String.format(Locale.ROOT, "%nMeasure it beside the fp32 model: `distillery bench"
          + " --teacher T --student %s %s --data test.jsonl`.%n", s.source(), s.folder()));
    }
    return sb.toString();
  }

  private static boolean sameFolder(Path a, Path b) {
    try {
      return Files.isSameFile(a, b);
    } catch (IOException e) {
      return false;
    }
  }
}
