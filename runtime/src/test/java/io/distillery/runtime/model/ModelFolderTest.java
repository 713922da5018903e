package io.distillery.runtime.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.distillery.core.BadInputException;
import io.distillery.core.ModelLoadException;
import io.distillery.runtime.testing.TestModels;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ModelFolderTest {
  @Test
  void folderWithModelAndTokenizer() {
    Path dir = TestModels.minilmInt8();
    ModelFolder folder = ModelFolder.of(dir);
    assertEquals(dir.resolve("model.onnx"), folder.model());
    assertEquals(dir.resolve("tokenizer.json"), folder.tokenizer());
    assertEquals(Optional.empty(), folder.config());
    assertEquals(List.of("LABEL_0", "LABEL_1"), folder.labels(2).names());
  }

  @Test
  void onnxFileWithTokenizerBesideIt(@TempDir Path dir) throws IOException {
    Path onnx = dir.resolve("student-int8.onnx");
    Files.writeString(onnx, "not checked here");
    Files.writeString(dir.resolve("tokenizer.json"), "{}");
    Files.writeString(dir.resolve("config.json"), "{\"id2label\": {\"0\": \"ham\", \"1\": \"spam\"}}");
    ModelFolder folder = ModelFolder.of(onnx);
    assertEquals(onnx, folder.model());
    assertEquals(dir.resolve("tokenizer.json"), folder.tokenizer());
    assertEquals(List.of("ham", "spam"), folder.labels(2).names());
  }

  @Test
  void missingModelOnnxIsNamed(@TempDir Path dir) throws IOException {
    Files.writeString(dir.resolve("tokenizer.json"), "{}");
    Files.writeString(dir.resolve("model_quantized.onnx"), "x");
    ModelLoadException e = assertThrows(ModelLoadException.class, () -> ModelFolder.of(dir));
    assertEquals(dir.resolve("model.onnx") + ": not found; a model folder needs model.onnx and tokenizer.json"
        + " (folder has [model_quantized.onnx, tokenizer.json]); pass " + dir.resolve("model_quantized.onnx")
        + " itself to use that model", e.getMessage());
  }

  @Test
  void missingTokenizerIsNamed(@TempDir Path dir) throws IOException {
    Files.writeString(dir.resolve("model.onnx"), "x");
    ModelLoadException e = assertThrows(ModelLoadException.class, () -> ModelFolder.of(dir));
    assertTrue(e.getMessage().startsWith(dir.resolve("tokenizer.json")
        + ": not found; the tokenizer.json must sit next to model.onnx"), e.getMessage());
  }

  @Test
  void pathThatIsNeitherIsBadInput(@TempDir Path dir) throws IOException {
    Path missing = dir.resolve("nope");
    BadInputException e = assertThrows(BadInputException.class, () -> ModelFolder.of(missing));
    assertTrue(e.getMessage().startsWith(missing + ": not found"), e.getMessage());
    Path text = dir.resolve("model.txt");
    Files.writeString(text, "x");
    e = assertThrows(BadInputException.class, () -> ModelFolder.of(text));
    assertTrue(e.getMessage().startsWith(text + ": not a model folder or a .onnx file"), e.getMessage());
  }
}
