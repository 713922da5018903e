package io.distillery.export.graph;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.distillery.core.ExitCode;
import io.distillery.core.ModelLoadException;
import io.distillery.export.OnnxTestSupport;
import io.distillery.export.onnx.OnnxProto.ModelProto;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OnnxModelsTest {
  @TempDir Path dir;

  @Test
  void writeThenReadGivesTheSameModel() throws Exception {
    ModelProto model = Benchmarks.matMulModel(4);
    Path file = dir.resolve("sub/m.onnx");
    OnnxModels.write(model, file);
    OnnxTestSupport.check(file);
    assertEquals(model, OnnxModels.read(file));
    try (var files = Files.list(dir.resolve("sub"))) { // no temp file left behind
      assertEquals(List.of("m.onnx"), files.map(p -> p.getFileName().toString()).toList());
    }
  }

  @Test
  void missingFileIsOneLineNamingTheFile() {
    Path file = dir.resolve("absent.onnx");
    ModelLoadException e = assertThrows(ModelLoadException.class, () -> OnnxModels.read(file));
    assertEquals(file + ": no such file", e.getMessage());
    assertEquals(ExitCode.BAD_INPUT, e.exitCode());
  }

  @Test
  void textFileIsNotAnOnnxModel() throws Exception {
    Path file = dir.resolve("x.onnx");
    Files.writeString(file, "this is a text file, not a model\n");
    ModelLoadException e = assertThrows(ModelLoadException.class, () -> OnnxModels.read(file));
    assertTrue(e.getMessage().startsWith(file + ": not an ONNX model ("), e.getMessage());
    assertFalse(e.getMessage().contains("\n"), e.getMessage());
  }

  @Test
  void truncatedModelFailsTheProtobufParse() throws Exception {
    byte[] bytes = Benchmarks.matMulModel(4).toByteArray();
    Path file = dir.resolve("cut.onnx");
    Files.write(file, java.util.Arrays.copyOf(bytes, bytes.length / 2));
    ModelLoadException e = assertThrows(ModelLoadException.class, () -> OnnxModels.read(file));
    assertTrue(e.getMessage().startsWith(file + ": not an ONNX model (protobuf parse failed: "),
        e.getMessage());
  }

  @Test
  void emptyFileIsNotAnOnnxModel() throws Exception {
    Path file = dir.resolve("empty.onnx");
    Files.write(file, new byte[0]);
    ModelLoadException e = assertThrows(ModelLoadException.class, () -> OnnxModels.read(file));
    assertEquals(file + ": not an ONNX model (no ir_version or graph in the protobuf)",
        e.getMessage());
  }
}
