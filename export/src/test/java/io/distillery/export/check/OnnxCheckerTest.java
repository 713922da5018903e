package io.distillery.export.check;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import io.distillery.export.ExportException;
import io.distillery.export.OnnxTestSupport;
import io.distillery.export.graph.Benchmarks;
import io.distillery.export.graph.OnnxModels;
import io.distillery.export.onnx.OnnxProto.ModelProto;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OnnxCheckerTest {
  @TempDir Path dir;

  @BeforeEach
  void checkerWanted() {
    // Only an explicit opt-out skips these; a machine without python3-onnx fails them.
    assumeFalse(Boolean.getBoolean(OnnxTestSupport.SKIP_CHECKER), "checker skipped on request");
  }

  @Test
  void checkerIsAvailable() {
    assertTrue(OnnxChecker.isAvailable(), OnnxChecker.PYTHON + " cannot import onnx");
  }

  @Test
  void validModelPasses() {
    Path file = dir.resolve("ok.onnx");
    OnnxModels.write(Benchmarks.matMulModel(3), file);
    OnnxChecker.check(file);
  }

  @Test
  void checkLeavesTheFileUnchanged() throws Exception {
    Path file = dir.resolve("same.onnx");
    OnnxModels.write(Benchmarks.matMulModel(3), file); // has an intermediate value without info
    byte[] before = Files.readAllBytes(file);
    OnnxChecker.check(file);
    assertArrayEquals(before, Files.readAllBytes(file));
  }

  @Test
  void danglingInputIsRejectedWithTheCheckersMessage() {
    ModelProto good = Benchmarks.matMulModel(3);
    ModelProto.Builder bad = good.toBuilder();
    bad.getGraphBuilder().getNodeBuilder(0).setInput(1, "nowhere");
    Path file = dir.resolve("bad.onnx");
    OnnxModels.write(bad.build(), file);
    ExportException e = assertThrows(ExportException.class, () -> OnnxChecker.check(file));
    assertTrue(e.getMessage().startsWith(file.toAbsolutePath() + ": ONNX checker rejected the model: ")
        || e.getMessage().startsWith(file + ": ONNX checker rejected the model: "), e.getMessage());
    assertTrue(e.getMessage().contains("nowhere"), e.getMessage());
    assertEquals(-1, e.getMessage().indexOf('\n'), e.getMessage());
  }

  @Test
  void irVersionNewerThanTheCheckerIsRejected() {
    ModelProto model = Benchmarks.matMulModel(3).toBuilder().setIrVersion(99).build();
    Path file = dir.resolve("future.onnx");
    OnnxModels.write(model, file);
    ExportException e = assertThrows(ExportException.class, () -> OnnxChecker.check(file));
    assertTrue(e.getMessage().contains("ir_version"), e.getMessage());
  }

  @Test
  void missingFileIsNamed() {
    Path file = dir.resolve("none.onnx");
    ExportException e = assertThrows(ExportException.class, () -> OnnxChecker.check(file));
    assertEquals(file + ": cannot check, no such file", e.getMessage());
  }
}
