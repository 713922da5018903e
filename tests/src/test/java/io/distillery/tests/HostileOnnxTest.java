package io.distillery.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.ByteString;
import io.distillery.export.graph.Tensors;
import io.distillery.export.onnx.OnnxProto.ModelProto;
import io.distillery.export.onnx.OnnxProto.StringStringEntryProto;
import io.distillery.export.onnx.OnnxProto.TensorProto;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Hostile ONNX files, each refused by {@code distillery inspect} and {@code distillery label}
 * with exit code 2 and one line naming the file and the field, before ONNX Runtime opens the
 * file; {@code label} writes no output. The files are mutations of a real classifier.
 */
class HostileOnnxTest {
  @TempDir static Path dir;
  static Path good;
  static ModelProto model;
  static Path texts;
  static final List<String> tried = new ArrayList<>();

  @BeforeAll
  static void setUp() throws IOException {
    good = TinyClassifier.create(dir);
    model = ModelProto.parseFrom(Files.readAllBytes(good.resolve("model.onnx")));
    texts = dir.resolve("texts.jsonl");
    Files.writeString(texts, "{\"text\":\"fine\"}\n");
  }

  /** A copy of the good folder whose model.onnx holds {@code bytes}. */
  private static Path folder(String name, byte[] bytes) throws IOException {
    Path f = dir.resolve(name);
    Files.createDirectories(f);
    Files.copy(good.resolve("tokenizer.json"), f.resolve("tokenizer.json"));
    Files.copy(good.resolve("config.json"), f.resolve("config.json"));
    Files.write(f.resolve("model.onnx"), bytes);
    return f;
  }

  private static Path mutated(String name, UnaryOperator<ModelProto.Builder> change) throws IOException {
    return folder(name, change.apply(model.toBuilder()).build().toByteArray());
  }

  /** Both commands refuse the folder: exit 2, one error line naming model.onnx and {@code field}. */
  private static void refused(Path folder, String field) {
    tried.add(folder.getFileName().toString());
    Path onnx = folder.resolve("model.onnx");
    CliRun inspect = CliRun.of("inspect", onnx.toString());
    assertEquals(2, inspect.exitCode(), inspect.err());
    assertOneLine(inspect, onnx, field);
    Path out = folder.resolve("labels.jsonl");
    CliRun label = CliRun.of("label", "--model", folder.toString(), "--in", texts.toString(),
        "--out", out.toString());
    assertEquals(2, label.exitCode(), label.err());
    assertOneLine(label, onnx, field);
    assertFalse(Files.exists(out), "nothing written");
    try (Stream<Path> s = Files.list(folder)) {
      assertTrue(s.noneMatch(p -> p.getFileName().toString().endsWith(".tmp")), "no temp file left");
    } catch (IOException e) {
      throw new AssertionError(e);
    }
  }

  private static void assertOneLine(CliRun r, Path onnx, String field) {
    List<String> lines = r.err().lines().filter(l -> !l.isBlank()).toList();
    assertEquals(1, lines.size(), "one line: " + r.err());
    String line = lines.get(0);
    assertTrue(line.startsWith("error: " + onnx), line);
    assertTrue(line.contains(field), "names '" + field + "': " + line);
  }

  @Test
  void truncatedRandomAndNotAModelAreRefused() throws IOException {
    byte[] bytes = model.toByteArray();
    refused(folder("truncated", Arrays.copyOf(bytes, bytes.length / 2)), "not an ONNX model");
    refused(folder("truncated-head", Arrays.copyOf(bytes, 100)), "not an ONNX model");
    byte[] noise = new byte[4096];
    new SplittableRandom(3).nextBytes(noise);
    refused(folder("random", noise), "not an ONNX model");
    refused(folder("empty", new byte[0]), "not an ONNX model");
    // valid protobuf messages that are not models: a tensor, a model with no graph nodes
    refused(folder("tensor", Tensors.floats("w", new float[] {1, 2, 3}, 3).toByteArray()),
        "not an ONNX model");
    refused(mutated("no-nodes", m -> {
      m.getGraphBuilder().clearNode();
      return m;
    }), "graph.node");
  }

  @Test
  void wrongInputAndOutputTypesAreRefused() throws IOException {
    refused(mutated("float-ids", m -> {
      m.getGraphBuilder().getInputBuilderList().stream().filter(v -> v.getName().equals("input_ids"))
          .forEach(v -> v.getTypeBuilder().getTensorTypeBuilder().setElemType(TensorProto.DataType.FLOAT_VALUE));
      return m;
    }), "graph.input 'input_ids': element type FLOAT, expected INT64");
    refused(mutated("int-logits", m -> {
      m.getGraphBuilder().getOutputBuilder(0).getTypeBuilder().getTensorTypeBuilder()
          .setElemType(TensorProto.DataType.INT64_VALUE);
      return m;
    }), "graph.output 'logits': element type INT64, expected FLOAT");
    refused(mutated("unknown-type", m -> {
      m.getGraphBuilder().getInputBuilder(1).getTypeBuilder().getTensorTypeBuilder().setElemType(99);
      return m;
    }), "unknown element type DataType(99)");
  }

  @Test
  void hugeDimensionsAreRefused() throws IOException {
    refused(mutated("huge-input-dim", m -> {
      m.getGraphBuilder().getInputBuilder(0).getTypeBuilder().getTensorTypeBuilder().getShapeBuilder()
          .getDimBuilder(1).clearDimParam().setDimValue(1L << 40);
      return m;
    }), "dimension 1 is 1099511627776");
    refused(mutated("huge-weight", m -> {
      TensorProto.Builder t = firstFloatWeight(m);
      t.setDims(0, 1L << 50);
      return m;
    }), "graph.initializer '");
    refused(mutated("negative-weight-dim", m -> {
      firstFloatWeight(m).setDims(0, -4);
      return m;
    }), "are negative or overflow");
  }

  @Test
  void externalDataOutsideTheModelFolderIsRefused() throws IOException {
    for (String location : List.of("../../etc/passwd", "/etc/passwd", "sub/../../outside.bin")) {
      String name = "external-" + Integer.toHexString(location.hashCode());
      refused(mutated(name, m -> external(m, location)), "leaves the model's folder");
    }
    // a symlink inside the folder that points out of it
    Path outside = dir.resolve("outside.bin");
    Files.write(outside, new byte[1 << 16]);
    Path linked = mutated("external-symlink", m -> external(m, "weights.bin"));
    Files.createSymbolicLink(linked.resolve("weights.bin"), outside);
    refused(linked, "is a link to");
    // inside the folder, but shorter than the tensor
    Path shortFile = mutated("external-short", m -> external(m, "weights.bin"));
    Files.write(shortFile.resolve("weights.bin"), new byte[8]);
    refused(shortFile, "do not fit 'weights.bin'");
    refused(mutated("external-missing", m -> external(m, "nothing.bin")), "not found next to the model");
  }

  @Test
  void aGoodModelStillOpens() {
    CliRun r = CliRun.of("inspect", good.resolve("model.onnx").toString());
    assertEquals(0, r.exitCode(), r.err());
  }

  /** Moves the first float weight out to external data at {@code location}. */
  private static ModelProto.Builder external(ModelProto.Builder m, String location) {
    TensorProto.Builder t = firstFloatWeight(m);
    t.setRawData(ByteString.EMPTY).clearFloatData()
        .setDataLocation(TensorProto.DataLocation.EXTERNAL)
        .addExternalData(StringStringEntryProto.newBuilder().setKey("location").setValue(location));
    return m;
  }

  private static TensorProto.Builder firstFloatWeight(ModelProto.Builder m) {
    return m.getGraphBuilder().getInitializerBuilderList().stream()
        .filter(t -> t.getDataType() == TensorProto.DataType.FLOAT_VALUE && t.getDimsCount() >= 1
            && t.getDims(0) > 1)
        .findFirst().orElseThrow();
  }
}
