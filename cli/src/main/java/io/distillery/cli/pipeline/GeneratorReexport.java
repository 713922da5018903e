package io.distillery.cli.pipeline;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.distillery.core.AtomicFiles;
import io.distillery.core.BadInputException;
import io.distillery.core.Json;
import io.distillery.export.check.OnnxChecker;
import io.distillery.export.gpt.GptExporter;
import io.distillery.export.graph.OnnxModels;
import io.distillery.export.quantize.DynamicInt8Quantizer;
import io.distillery.learn.gpt.GeneratorFolder;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A generator folder exported again: the same weights through the current GPT exporter (KV-cache
 * signature), so a generator written before an exporter change gets the current graph (e.g. the
 * GELU form ONNX Runtime fuses). tokenizer.json, config.json, generation_config.json and
 * recipe.json are copied.
 */
public final class GeneratorReexport {
  private GeneratorReexport() {}

  /** Whether {@code dir} holds a GPT generator (config.json says gpt2). */
  public static boolean isGenerator(Path dir) {
    Path config = dir.resolve("config.json");
    if (!Files.isRegularFile(config)) {
      return false;
    }
    try {
      return Json.MAPPER.readTree(config.toFile()).path("model_type").asText().equals("gpt2");
    } catch (IOException e) {
      return false;
    }
  }

  /**
   * Writes the re-exported generator into {@code out}, then quantises its MatMul weights to int8
   * ({@link DynamicInt8Quantizer}: the four matrices of every block and the tied logits head; the
   * token table stays fp32 for the lookup); returns its model.onnx size.
   *
   * @throws BadInputException if the source model is already int8
   */
  public static long writeInt8(Path source, Path out) {
    return writeInt8(source, out, false);
  }

  /** Like {@link #writeInt8(Path, Path)}; {@code ortFused}: from the fused graph ({@link #write}). */
  public static long writeInt8(Path source, Path out, boolean ortFused) {
    Path sourceModel = source.resolve("model.onnx");
    OnnxModels.read(sourceModel).getMetadataPropsList().stream()
        .filter(e -> e.getKey().equals(DynamicInt8Quantizer.METADATA_KEY)).findFirst()
        .ifPresent(e -> {
          throw BadInputException.of(sourceModel, "already quantised (" + e.getKey() + " = "
              + e.getValue() + "); quantise the fp32 generator");
        });
    write(source, out, ortFused, false); // the checker reads the int8 file once, below
    Path model = out.resolve("model.onnx");
    DynamicInt8Quantizer.Result r = DynamicInt8Quantizer.quantize(OnnxModels.read(model), model);
    OnnxModels.write(r.model(), model);
    try {
      Path recipeFile = out.resolve("recipe.json");
      ObjectNode recipe = (ObjectNode) Json.MAPPER.readTree(recipeFile.toFile());
      recipe.put("quantization", DynamicInt8Quantizer.METADATA_VALUE);
      AtomicFiles.writeString(recipeFile, Json.MAPPER.writerWithDefaultPrettyPrinter()
          .writeValueAsString(recipe) + "\n");
      if (OnnxChecker.isAvailable()) {
        OnnxChecker.check(model);
      }
      return Files.size(model);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Writes the re-exported generator into {@code out}; returns its model.onnx size. */
  public static long write(Path source, Path out) {
    return write(source, out, false, true);
  }

  /**
   * Writes the re-exported generator into {@code out}, with {@code ortFused} in ONNX Runtime's
   * fused kernels (MultiHeadAttention over the cache, SkipLayerNormalization, BiasGelu: same
   * signature, an ONNX Runtime-only file); returns its model.onnx size.
   */
  public static long write(Path source, Path out, boolean ortFused) {
    return write(source, out, ortFused, true);
  }

  private static long write(Path source, Path out, boolean ortFused, boolean check) {
    GeneratorFolder g = GeneratorFolder.read(source);
    try {
      if (Files.isDirectory(out) && Files.isSameFile(source, out)) {
        throw BadInputException.of(out, "is the source folder; write the export elsewhere");
      }
      Map<String, String> metadata = new LinkedHashMap<>();
      OnnxModels.read(g.modelFile()).getMetadataPropsList()
          .forEach(e -> metadata.put(e.getKey(), e.getValue()));
      Path recipeFile = source.resolve("recipe.json");
      ObjectNode recipe = Files.isRegularFile(recipeFile)
          ? (ObjectNode) Json.MAPPER.readTree(recipeFile.toFile()) : Json.MAPPER.createObjectNode();
      recipe.put("exported_from", source.toAbsolutePath().normalize().toString());
      if (ortFused) {
        recipe.put("ort_fused", GptExporter.ORT_FUSED_VALUE);
      } else {
        recipe.remove("ort_fused");
      }
      g.writeTuned(out, g.weights(), metadata, recipe, ortFused);
      Path model = out.resolve("model.onnx");
      if (check && OnnxChecker.isAvailable()) {
        OnnxChecker.check(model);
      }
      return Files.size(model);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
