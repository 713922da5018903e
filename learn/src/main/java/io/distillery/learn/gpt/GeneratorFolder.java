package io.distillery.learn.gpt;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.distillery.core.AtomicFiles;
import io.distillery.core.Json;
import io.distillery.core.ModelLoadException;
import io.distillery.export.graph.ContribOp;
import io.distillery.export.graph.OnnxModels;
import io.distillery.export.gpt.GptExporter;
import io.distillery.export.gpt.OnnxInitializers;
import io.distillery.export.gpt.WeightTensor;
import io.distillery.export.onnx.OnnxProto.ModelProto;
import io.distillery.export.onnx.OnnxProto.StringStringEntryProto;
import io.distillery.train.gpt.GptConfig;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A generator folder (model.onnx with the GPT-2 initializer names, tokenizer.json, config.json,
 * optionally generation_config.json) read for training in DJL, and written back after tuning.
 *
 * <p>The architecture comes from config.json ({@code n_layer}, {@code n_embd}, {@code n_head},
 * {@code n_positions}, {@code vocab_size}) or, when that lacks a field, from the
 * {@code distillery.architecture} metadata that {@link GptExporter} writes into every model.
 *
 * @param dir the folder
 * @param config the decoder's shape
 * @param eosId the end-of-text id ({@code eos_token_id}), or -1 when the folder names none
 * @param weights every float initializer of model.onnx, by name
 */
public record GeneratorFolder(Path dir, GptConfig config, int eosId,
    Map<String, WeightTensor> weights) {
  private static final Pattern ARCH = Pattern.compile(
      "layers=(\\d+),width=(\\d+),heads=(\\d+),context=(\\d+),vocab=(\\d+)");

  /**
   * Reads {@code dir}.
   *
   * @throws ModelLoadException naming the file when model.onnx or tokenizer.json is missing or the
   *     architecture cannot be found
   */
  public static GeneratorFolder read(Path dir) {
    Path onnx = dir.resolve("model.onnx");
    if (!Files.isRegularFile(onnx)) {
      throw new ModelLoadException(onnx, "no such file; a generator folder holds model.onnx and"
          + " tokenizer.json");
    }
    if (!Files.isRegularFile(dir.resolve("tokenizer.json"))) {
      throw new ModelLoadException(dir.resolve("tokenizer.json"), "no such file; a generator"
          + " folder holds model.onnx and tokenizer.json");
    }
    JsonNode cfg = optionalJson(dir.resolve("config.json"));
    JsonNode gen = optionalJson(dir.resolve("generation_config.json"));
    ModelProto model = OnnxModels.read(onnx);
    GptConfig config = architecture(cfg, model, onnx);
    int eos = gen.path("eos_token_id").canConvertToInt() ? gen.path("eos_token_id").asInt()
        : cfg.path("eos_token_id").canConvertToInt() ? cfg.path("eos_token_id").asInt() : -1;
    return new GeneratorFolder(dir, config, eos, OnnxInitializers.readFloats(model, onnx));
  }

  public Path modelFile() {
    return dir.resolve("model.onnx");
  }

  public Path tokenizerFile() {
    return dir.resolve("tokenizer.json");
  }

  private static GptConfig architecture(JsonNode cfg, ModelProto model, Path onnx) {
    String[] keys = {"n_layer", "n_embd", "n_head", "n_positions", "vocab_size"};
    int[] v = new int[keys.length];
    boolean complete = true;
    for (int i = 0; i < keys.length; i++) {
      complete &= cfg.path(keys[i]).canConvertToInt();
      v[i] = cfg.path(keys[i]).asInt();
    }
    if (complete) {
      return new GptConfig(v[0], v[1], v[2], v[3], v[4]);
    }
    for (StringStringEntryProto e : model.getMetadataPropsList()) {
      if (e.getKey().equals("distillery.architecture")) {
        Matcher m = ARCH.matcher(e.getValue());
        if (m.find()) {
          return new GptConfig(Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2)),
              Integer.parseInt(m.group(3)), Integer.parseInt(m.group(4)),
              Integer.parseInt(m.group(5)));
        }
      }
    }
    throw new ModelLoadException(onnx, "cannot tell the GPT architecture: config.json lacks "
        + "n_layer/n_embd/n_head/n_positions/vocab_size and the model has no "
        + "distillery.architecture metadata; add those fields to config.json");
  }

  /**
   * Writes a generator folder like this one with new weights: model.onnx through
   * {@link GptExporter} (KV-cache signature), tokenizer.json, config.json and
   * generation_config.json copied, and {@code recipe.json}.
   *
   * @param metadata extra ONNX {@code metadata_props}
   */
  public void writeTuned(Path out, Map<String, WeightTensor> tunedWeights,
      Map<String, String> metadata, ObjectNode recipe) {
    writeTuned(out, tunedWeights, metadata, recipe, false);
  }

  /**
   * Like {@link #writeTuned(Path, Map, Map, ObjectNode)}; with {@code ortFused} the graph uses ONNX
   * Runtime's fused kernels ({@link GptExporter#build(io.distillery.export.gpt.GptArchitecture,
   * Map, Map, boolean, boolean)}).
   */
  public void writeTuned(Path out, Map<String, WeightTensor> tunedWeights,
      Map<String, String> metadata, ObjectNode recipe, boolean ortFused) {
    try {
      Files.createDirectories(out);
      Map<String, String> meta = new LinkedHashMap<>(metadata);
      meta.remove(ContribOp.METADATA_KEY); // the exporter sets it when it writes fused kernels
      OnnxModels.write(GptExporter.build(config.architecture(), tunedWeights, meta, true, ortFused),
          out.resolve("model.onnx"));
      for (String name : new String[] {"tokenizer.json", "config.json",
          "generation_config.json"}) {
        Path src = dir.resolve(name);
        if (Files.isRegularFile(src)) {
          Files.copy(src, out.resolve(name), StandardCopyOption.REPLACE_EXISTING);
        }
      }
      AtomicFiles.writeBytes(out.resolve("recipe.json"), Json.MAPPER.writeValueAsBytes(recipe));
    } catch (IOException e) {
      throw new UncheckedIOException(out + ": cannot write the tuned generator", e);
    }
  }

  private static JsonNode optionalJson(Path file) {
    if (!Files.isRegularFile(file)) {
      return Json.MAPPER.createObjectNode();
    }
    try {
      return Json.MAPPER.readTree(file.toFile());
    } catch (IOException e) {
      throw new ModelLoadException(file, "not valid JSON (" + e.getMessage() + ")", e);
    }
  }
}
