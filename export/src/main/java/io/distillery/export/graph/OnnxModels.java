package io.distillery.export.graph;

import com.google.protobuf.InvalidProtocolBufferException;
import io.distillery.core.AtomicFiles;
import io.distillery.core.ModelLoadException;
import io.distillery.export.onnx.OnnxProto.ModelProto;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Reads and writes {@code .onnx} files (one protobuf {@link ModelProto} each). */
public final class OnnxModels {
  private OnnxModels() {}

  /** Writes the model atomically: readers see the old file or the whole new one, never half. */
  public static void write(ModelProto model, Path file) {
    AtomicFiles.write(file, model::writeTo);
  }

  /**
   * Parses an ONNX file.
   *
   * @throws ModelLoadException if the file is missing, unreadable, not a protobuf, or a protobuf
   *     without an IR version or graph
   */
  public static ModelProto read(Path file) {
    if (!Files.isRegularFile(file)) {
      throw new ModelLoadException(file, "no such file");
    }
    ModelProto model;
    try {
      model = ModelProto.parseFrom(Files.readAllBytes(file));
    } catch (InvalidProtocolBufferException e) {
      throw new ModelLoadException(
          file, "not an ONNX model (protobuf parse failed: " + oneLine(e.getMessage()) + ")", e);
    } catch (IOException e) {
      throw new ModelLoadException(file, "cannot read (" + oneLine(e.getMessage()) + ")", e);
    }
    if (model.getIrVersion() <= 0 || !model.hasGraph()) {
      throw new ModelLoadException(file, "not an ONNX model (no ir_version or graph in the protobuf)");
    }
    return model;
  }

  private static String oneLine(String text) {
    return text == null ? "" : text.strip().replaceAll("\\s+", " ");
  }
}
