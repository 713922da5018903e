package io.distillery.export.inspect;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.distillery.core.ModelLoadException;
import io.distillery.export.OnnxTestSupport;
import io.distillery.export.graph.Dim;
import io.distillery.export.graph.ElemType;
import io.distillery.export.graph.OnnxGraph;
import io.distillery.export.graph.OnnxModels;
import io.distillery.export.graph.Op;
import io.distillery.export.graph.Ref;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OnnxInspectorTest {
  @TempDir Path dir;

  @Test
  void summarisesABuiltModel() throws Exception {
    OnnxGraph g = new OnnxGraph("lin", 13);
    Ref x = g.input("x", ElemType.FLOAT, Dim.of("batch"), Dim.of(3));
    Ref y = x.apply(Op.MATMUL, g.initializer("w", new float[6], 3, 2))
        .apply(Op.ADD, g.initializer("b", new float[2], 2));
    g.output(y, "y", ElemType.FLOAT, Dim.of("batch"), Dim.of(2));
    g.metadata("distillery.config", "{}");
    Path file = dir.resolve("lin.onnx");
    OnnxModels.write(g.toModel(), file);
    OnnxTestSupport.check(file);

    ModelSummary s = OnnxInspector.inspect(file);
    assertEquals(7, s.irVersion());
    assertEquals("distillery", s.producer());
    assertEquals(Map.of("ai.onnx", 13L), s.opsets());
    assertEquals(List.of(new TensorSummary("x", "FLOAT", List.of("batch", "3"))), s.inputs());
    assertEquals(List.of(new TensorSummary("y", "FLOAT", List.of("batch", "2"))), s.outputs());
    assertEquals(8, s.parameterCount());
    assertEquals(Files.size(file), s.fileBytes());
    assertEquals(Map.of("distillery.config", "{}"), s.metadata());
  }

  @Test
  void summarisesTheRealMiniLmEncoder() throws Exception {
    ModelSummary s = OnnxInspector.inspect(OnnxTestSupport.miniLm());
    assertEquals(6, s.irVersion());
    assertEquals("pytorch", s.producer());
    assertEquals(Map.of("ai.onnx", 11L), s.opsets());
    List<String> dims = List.of("batch_size", "sequence_length");
    assertEquals(List.of(new TensorSummary("input_ids", "INT64", dims),
        new TensorSummary("attention_mask", "INT64", dims),
        new TensorSummary("token_type_ids", "INT64", dims)), s.inputs());
    assertEquals(List.of(new TensorSummary("last_hidden_state", "FLOAT",
        List.of("batch_size", "sequence_length", "384"))), s.outputs());
    assertEquals(22_565_888L, s.parameterCount());
    assertEquals(OnnxTestSupport.MINILM_BYTES, s.fileBytes());
  }

  @Test
  void missingFileIsABadInput() {
    Path file = dir.resolve("nope.onnx");
    ModelLoadException e = assertThrows(ModelLoadException.class, () -> OnnxInspector.inspect(file));
    assertEquals(file + ": no such file", e.getMessage());
  }
}
