package io.distillery.runtime.model;

import io.distillery.core.BadInputException;
import io.distillery.core.ModelLoadException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * A model on disk in the Hugging Face / Optimum layout: a folder with {@code model.onnx}, {@code
 * tokenizer.json} and, for classifiers, an optional {@code config.json} carrying {@code id2label}.
 * A path to a {@code .onnx} file is accepted too; its folder must hold the {@code tokenizer.json}
 * (and may hold {@code config.json}).
 *
 * @param dir the folder holding the files
 * @param model the ONNX model file
 * @param tokenizer the {@code tokenizer.json}
 * @param config the {@code config.json}, when present
 */
public record ModelFolder(Path dir, Path model, Path tokenizer, Optional<Path> config) {
  public static final String MODEL_FILE = "model.onnx";
  public static final String TOKENIZER_FILE = "tokenizer.json";
  public static final String CONFIG_FILE = "config.json";

  /**
   * Resolves a folder or a {@code .onnx} file and checks that the required files exist.
   *
   * @throws ModelLoadException naming the missing file
   * @throws BadInputException when {@code path} does not exist or is neither a folder nor a .onnx
   */
  public static ModelFolder of(Path path) {
    if (Files.isDirectory(path)) {
      Path model = path.resolve(MODEL_FILE);
      if (!Files.isRegularFile(model)) {
        throw new ModelLoadException(
            model,
            "not found; a model folder needs " + MODEL_FILE + " and " + TOKENIZER_FILE
                + " (folder has " + listing(path) + ")" + onnxHint(path));
      }
      return withSiblings(path, model);
    }
    if (!Files.exists(path)) {
      throw BadInputException.of(
          path, "not found; expected a model folder (model.onnx, tokenizer.json) or a .onnx file");
    }
    if (!path.getFileName().toString().endsWith(".onnx")) {
      throw BadInputException.of(
          path, "not a model folder or a .onnx file; expected a folder with model.onnx and tokenizer.json");
    }
    return withSiblings(path.getParent() == null ? Path.of("") : path.getParent(), path);
  }

  private static ModelFolder withSiblings(Path dir, Path model) {
    Path tokenizer = dir.resolve(TOKENIZER_FILE);
    if (!Files.isRegularFile(tokenizer)) {
      throw new ModelLoadException(
          tokenizer,
          "not found; the tokenizer.json must sit next to " + model.getFileName()
              + " (folder has " + listing(dir) + ")");
    }
    Path config = dir.resolve(CONFIG_FILE);
    return new ModelFolder(
        dir, model, tokenizer, Files.isRegularFile(config) ? Optional.of(config) : Optional.empty());
  }

  /** The labels from {@code config.json}, or LABEL_0.. when it is absent or has no id2label. */
  public LabelMap labels(int numLabels) {
    return LabelMap.forModel(config, numLabels);
  }

  private static String listing(Path dir) {
    try (Stream<Path> files = Files.list(dir)) {
      List<String> names = files.map(p -> p.getFileName().toString()).sorted().limit(20).toList();
      return names.isEmpty() ? "no files" : names.toString();
    } catch (IOException e) {
      return "unreadable: " + e.getMessage();
    }
  }

  private static String onnxHint(Path dir) {
    try (Stream<Path> files = Files.list(dir)) {
      List<Path> onnx = files.filter(p -> p.getFileName().toString().endsWith(".onnx")).toList();
      return onnx.size() == 1 ? "; pass " + onnx.get(0) + " itself to use that model" : "";
    } catch (IOException e) {
      return "";
    }
  }
}
