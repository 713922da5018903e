package io.distillery.export.gpt;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.distillery.export.ExportException;
import io.distillery.export.check.OnnxChecker;
import io.distillery.export.graph.OnnxModels;
import io.distillery.export.onnx.OnnxProto.ModelProto;
import io.distillery.export.onnx.OnnxProto.ValueInfoProto;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class GptExporterTest {
  static final GptArchitecture ARCH = new GptArchitecture(2, 16, 4, 10, 23);

  static Map<String, WeightTensor> weights() {
    Random rng = new Random(3);
    Map<String, WeightTensor> out = new LinkedHashMap<>();
    ARCH.weightShapes().forEach((name, shape) -> {
      long n = 1;
      for (long d : shape) {
        n *= d;
      }
      float[] v = new float[(int) n];
      for (int i = 0; i < v.length; i++) {
        v[i] = (float) rng.nextGaussian() * 0.1f;
      }
      out.put(name, new WeightTensor(shape, v));
    });
    return out;
  }

  static List<String> names(List<ValueInfoProto> values) {
    return values.stream().map(ValueInfoProto::getName).toList();
  }

  @Test
  void writesTheOptimumSignatureAtOpset17AndTheCheckerAcceptsIt(@TempDir Path dir) {
    Path file = dir.resolve("model.onnx");
    GptExporter.export(ARCH, weights(), Map.of("distillery.recipe", "test"), file);
    OnnxChecker.check(file);
    ModelProto m = OnnxModels.read(file);
    assertEquals(8, m.getIrVersion());
    assertEquals(List.of("input_ids", "attention_mask", "position_ids",
        "past_key_values.0.key", "past_key_values.0.value", "past_key_values.1.key",
        "past_key_values.1.value"), names(m.getGraph().getInputList()));
    assertEquals(List.of("logits", "present.0.key", "present.0.value", "present.1.key",
        "present.1.value"), names(m.getGraph().getOutputList()));
    assertTrue(m.getGraph().getNodeList().stream().noneMatch(n -> n.getOpType().equals("Identity")),
        "present outputs are produced directly, not copied");
    assertTrue(m.getGraph().getInitializerList().stream()
        .anyMatch(t -> t.getName().equals("transformer.h.1.attn.c_attn.weight")));
  }

  @Test
  void withoutCacheHasNoPastInputsOrPresentOutputs(@TempDir Path dir) {
    Path file = dir.resolve("model.onnx");
    OnnxModels.write(GptExporter.build(ARCH, weights(), Map.of(), false), file);
    OnnxChecker.check(file);
    ModelProto m = OnnxModels.read(file);
    assertEquals(List.of("input_ids", "attention_mask", "position_ids"),
        names(m.getGraph().getInputList()));
    assertEquals(List.of("logits"), names(m.getGraph().getOutputList()));
    assertFalse(m.getMetadataPropsList().stream()
        .anyMatch(e -> e.getValue().equals("text-generation-with-past")));
  }

  @Test
  void missingOrMisshapenWeightsAreNamed() {
    Map<String, WeightTensor> w = weights();
    w.remove("transformer.h.0.mlp.c_fc.bias");
    ExportException missing = assertThrows(ExportException.class,
        () -> GptExporter.build(ARCH, w, Map.of()));
    assertTrue(missing.getMessage().contains("no weight named 'transformer.h.0.mlp.c_fc.bias'"
        + " (expected shape [64])"), missing.getMessage());
    Map<String, WeightTensor> bad = weights();
    bad.put("transformer.wte.weight", new WeightTensor(new long[] {16, 23}, new float[16 * 23]));
    ExportException shape = assertThrows(ExportException.class,
        () -> GptExporter.build(ARCH, bad, Map.of()));
    assertTrue(shape.getMessage().contains("has shape [16, 23], expected [23, 16]"),
        shape.getMessage());
  }
}
