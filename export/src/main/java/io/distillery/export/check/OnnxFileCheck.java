package io.distillery.export.check;

import io.distillery.core.ModelLoadException;
import io.distillery.export.graph.ElemType;
import io.distillery.export.graph.OnnxModels;
import io.distillery.export.onnx.OnnxProto.AttributeProto;
import io.distillery.export.onnx.OnnxProto.GraphProto;
import io.distillery.export.onnx.OnnxProto.ModelProto;
import io.distillery.export.onnx.OnnxProto.NodeProto;
import io.distillery.export.onnx.OnnxProto.StringStringEntryProto;
import io.distillery.export.onnx.OnnxProto.TensorProto;
import io.distillery.export.onnx.OnnxProto.TensorProto.DataType;
import io.distillery.export.onnx.OnnxProto.TensorShapeProto;
import io.distillery.export.onnx.OnnxProto.ValueInfoProto;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * The one check every ONNX file passes before ONNX Runtime opens it: models come from anywhere,
 * and a native loader is the wrong place to meet a hostile one. Refuses, with a one-line
 * {@link ModelLoadException} naming the file and the field: a file that is not an ONNX model
 * (truncated, random bytes, another protobuf message), graph inputs and outputs whose element type
 * is unknown or, for the ecosystem's names ({@code input_ids}, {@code attention_mask}, ...,
 * {@code logits}), not the one the runtime feeds or reads, declared dimensions that are negative
 * or absurdly large, weights whose bytes do not match their shape, and external-data locations
 * that leave the model's folder (absolute, {@code ..}, or a symlink pointing out) or lie past the
 * end of their file.
 */
public final class OnnxFileCheck {
  /** Largest dimension a graph input or output may declare (ORT indexes with int64, but no text
   *  model here has a dimension near 2^31; a larger one is a hostile or broken file). */
  static final long MAX_DIM = Integer.MAX_VALUE;
  /** Protobuf cannot parse a message past 2 GiB; larger models keep their weights external. */
  static final long MAX_FILE_BYTES = Integer.MAX_VALUE;

  /** Inputs the runtime feeds as int64, outputs it reads as float: name → required type. */
  private static final Map<String, DataType> TOKEN_INPUTS = Map.of(
      "input_ids", DataType.INT64, "attention_mask", DataType.INT64,
      "token_type_ids", DataType.INT64, "position_ids", DataType.INT64);
  private static final Map<String, DataType> READ_OUTPUTS = Map.of("logits", DataType.FLOAT);

  private OnnxFileCheck() {}

  /**
   * Reads and checks {@code file}.
   *
   * @return the parsed model
   * @throws ModelLoadException naming the file and the offending field
   */
  public static ModelProto check(Path file) {
    try {
      if (Files.isRegularFile(file) && Files.size(file) > MAX_FILE_BYTES) {
        throw new ModelLoadException(file, "larger than 2 GiB (" + Files.size(file) + " bytes); "
            + "an ONNX file that large must keep its weights as external data");
      }
    } catch (IOException e) {
      throw new ModelLoadException(file, "cannot read (" + e.getMessage() + ")", e);
    }
    ModelProto model = OnnxModels.read(file);
    GraphProto g = model.getGraph();
    if (model.getOpsetImportCount() == 0 || g.getNodeCount() == 0 || g.getOutputCount() == 0) {
      throw new ModelLoadException(file, "not an ONNX model: expected opset_import, graph.node and "
          + "graph.output, found " + model.getOpsetImportCount() + " opset imports, "
          + g.getNodeCount() + " nodes, " + g.getOutputCount() + " outputs");
    }
    Set<String> weights = new HashSet<>();
    g.getInitializerList().forEach(t -> weights.add(t.getName()));
    for (ValueInfoProto v : g.getInputList()) {
      if (!weights.contains(v.getName())) {
        checkValue(file, "graph.input", v, TOKEN_INPUTS.get(v.getName()));
      }
    }
    for (ValueInfoProto v : g.getOutputList()) {
      checkValue(file, "graph.output", v, READ_OUTPUTS.get(v.getName()));
    }
    Path dir = file.toAbsolutePath().getParent();
    for (TensorProto t : g.getInitializerList()) {
      checkTensor(file, dir, "graph.initializer '" + t.getName() + "'", t);
    }
    for (NodeProto n : g.getNodeList()) {
      for (AttributeProto a : n.getAttributeList()) {
        if (a.hasT()) {
          checkTensor(file, dir, "node '" + n.getName() + "' attribute " + a.getName(), a.getT());
        }
      }
    }
    return model;
  }

  private static void checkValue(Path file, String where, ValueInfoProto v, DataType required) {
    String field = where + " '" + v.getName() + "'";
    if (!v.getType().hasTensorType()) {
      if (required != null) {
        throw new ModelLoadException(file, field + ": expected a tensor of " + required
            + ", found " + v.getType().getValueCase());
      }
      return; // sequences and maps: ORT reports them when a caller asks for them
    }
    int elem = v.getType().getTensorType().getElemType();
    DataType type = DataType.forNumber(elem);
    if (type == null || type == DataType.UNDEFINED) {
      throw new ModelLoadException(file, field + ": unknown element type " + ElemType.nameOf(elem));
    }
    if (required != null && type != required) {
      throw new ModelLoadException(file, field + ": element type " + type + ", expected "
          + required + " (the Hugging Face / Optimum signature)");
    }
    int i = 0;
    for (TensorShapeProto.Dimension d : v.getType().getTensorType().getShape().getDimList()) {
      if (d.hasDimValue() && (d.getDimValue() < 0 || d.getDimValue() > MAX_DIM)) {
        throw new ModelLoadException(file, field + ": dimension " + i + " is " + d.getDimValue()
            + " (expected 0 to " + MAX_DIM + ", or a symbolic name)");
      }
      i++;
    }
  }

  private static void checkTensor(Path file, Path dir, String field, TensorProto t) {
    long count = 1;
    for (int i = 0; i < t.getDimsCount(); i++) {
      long d = t.getDims(i);
      if (d < 0 || (d > 0 && count > Long.MAX_VALUE / 16 / d)) {
        throw new ModelLoadException(file, field + ": dims " + t.getDimsList()
            + " are negative or overflow a tensor's size");
      }
      count *= d;
    }
    int width = bytesPerElement(t.getDataType());
    if (t.getDataLocation() == TensorProto.DataLocation.EXTERNAL) {
      checkExternal(file, dir, field, t, width < 0 ? -1 : count * width);
      return;
    }
    if (!t.getRawData().isEmpty() && width > 0 && t.getRawData().size() != count * width) {
      throw new ModelLoadException(file, field + ": raw_data holds " + t.getRawData().size()
          + " bytes but dims " + t.getDimsList() + " of " + ElemType.nameOf(t.getDataType())
          + " need " + count * width);
    }
    long typed = t.getFloatDataCount() + t.getInt32DataCount() + t.getInt64DataCount()
        + t.getDoubleDataCount() + t.getUint64DataCount();
    boolean complex = t.getDataType() == DataType.COMPLEX64_VALUE
        || t.getDataType() == DataType.COMPLEX128_VALUE;
    if (typed > 0 && !complex && typed != count) {
      throw new ModelLoadException(file, field + ": holds " + typed + " values but dims "
          + t.getDimsList() + " need " + count);
    }
  }

  private static void checkExternal(Path file, Path dir, String field, TensorProto t, long needed) {
    String location = null;
    long offset = 0;
    long length = -1;
    for (StringStringEntryProto e : t.getExternalDataList()) {
      try {
        switch (e.getKey()) {
          case "location" -> location = e.getValue();
          case "offset" -> offset = Long.parseLong(e.getValue());
          case "length" -> length = Long.parseLong(e.getValue());
          default -> { } // checksum and future keys: not ours to judge
        }
      } catch (NumberFormatException ex) {
        throw new ModelLoadException(file, field + ": external_data " + e.getKey() + " '"
            + e.getValue() + "' is not a number");
      }
    }
    if (location == null || location.isEmpty()) {
      throw new ModelLoadException(file, field + ": external data without a location");
    }
    Path rel;
    try {
      rel = Path.of(location);
    } catch (java.nio.file.InvalidPathException e) {
      throw new ModelLoadException(file, field + ": external data location '" + location
          + "' is not a file name");
    }
    if (rel.isAbsolute() || location.startsWith("/") || location.startsWith("\\")
        || !dir.resolve(rel).normalize().startsWith(dir.normalize()) || location.contains("\0")) {
      throw new ModelLoadException(file, field + ": external data location '" + location
          + "' leaves the model's folder; only files inside " + dir + " are read");
    }
    Path data = dir.resolve(rel).normalize();
    if (!Files.isRegularFile(data)) {
      throw new ModelLoadException(file, field + ": external data file '" + location
          + "' not found next to the model");
    }
    long size;
    try {
      if (!data.toRealPath().startsWith(dir.toRealPath())) {
        throw new ModelLoadException(file, field + ": external data location '" + location
            + "' is a link to " + data.toRealPath() + ", outside the model's folder");
      }
      size = Files.size(data);
    } catch (IOException e) {
      throw new ModelLoadException(file, field + ": external data file '" + location
          + "' cannot be read (" + e.getMessage() + ")", e);
    }
    long len = length >= 0 ? length : size - offset;
    if (offset < 0 || len < 0 || offset > size || len > size - offset
        || (needed >= 0 && len != needed)) {
      throw new ModelLoadException(file, field + ": external data offset " + offset + ", length "
          + (length >= 0 ? length : "(rest)") + " do not fit '" + location + "' (" + size
          + " bytes)" + (needed >= 0 ? " or the tensor's " + needed + " bytes" : ""));
    }
  }

  /** Bytes per element of fixed-width types; -1 for strings and unknown types. */
  static int bytesPerElement(int dataType) {
    DataType t = DataType.forNumber(dataType);
    if (t == null) {
      return -1;
    }
    return switch (t) {
      case FLOAT, INT32, UINT32 -> 4;
      case DOUBLE, INT64, UINT64, COMPLEX64 -> 8;
      case COMPLEX128 -> 16;
      case FLOAT16, BFLOAT16, INT16, UINT16 -> 2;
      case INT8, UINT8, BOOL -> 1;
      default -> -1; // STRING, UNDEFINED
    };
  }
}
