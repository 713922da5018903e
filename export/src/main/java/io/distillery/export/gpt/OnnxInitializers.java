package io.distillery.export.gpt;

import io.distillery.core.ModelLoadException;
import io.distillery.export.graph.OnnxModels;
import io.distillery.export.onnx.OnnxProto.ModelProto;
import io.distillery.export.onnx.OnnxProto.TensorProto;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/** Reads the float initializers of an ONNX file by name (for weight import). */
public final class OnnxInitializers {
  private OnnxInitializers() {}

  /** Every FLOAT initializer of the file's main graph, by name, in file order. */
  public static Map<String, WeightTensor> readFloats(Path file) {
    return readFloats(OnnxModels.read(file), file);
  }

  /** Every FLOAT initializer of the model's main graph; {@code source} names it in errors. */
  public static Map<String, WeightTensor> readFloats(ModelProto model, Path source) {
    Map<String, WeightTensor> out = new LinkedHashMap<>();
    for (TensorProto t : model.getGraph().getInitializerList()) {
      if (t.getDataType() != TensorProto.DataType.FLOAT_VALUE) {
        continue;
      }
      if (t.hasDataLocation() && t.getDataLocation() == TensorProto.DataLocation.EXTERNAL) {
        throw new ModelLoadException(source, "initializer '" + t.getName()
            + "' is stored in an external data file, which weight import does not read");
      }
      long[] dims = t.getDimsList().stream().mapToLong(Long::longValue).toArray();
      float[] values;
      if (!t.getRawData().isEmpty()) {
        ByteBuffer buf = t.getRawData().asReadOnlyByteBuffer().order(ByteOrder.LITTLE_ENDIAN);
        values = new float[buf.remaining() / Float.BYTES];
        buf.asFloatBuffer().get(values);
      } else {
        values = new float[t.getFloatDataCount()];
        for (int i = 0; i < values.length; i++) {
          values[i] = t.getFloatData(i);
        }
      }
      try {
        out.put(t.getName(), new WeightTensor(dims, values));
      } catch (IllegalArgumentException e) {
        throw new ModelLoadException(source, "initializer '" + t.getName() + "': " + e.getMessage());
      }
    }
    return out;
  }
}
