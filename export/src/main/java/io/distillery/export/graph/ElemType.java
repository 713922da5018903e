package io.distillery.export.graph;

import io.distillery.export.onnx.OnnxProto.TensorProto.DataType;

/** Tensor element types Distillery's graphs use; {@link #code()} is ONNX's {@code DataType}. */
public enum ElemType {
  FLOAT(DataType.FLOAT),
  DOUBLE(DataType.DOUBLE),
  FLOAT16(DataType.FLOAT16),
  INT8(DataType.INT8),
  UINT8(DataType.UINT8),
  INT32(DataType.INT32),
  INT64(DataType.INT64),
  BOOL(DataType.BOOL);

  private final DataType dataType;

  ElemType(DataType dataType) {
    this.dataType = dataType;
  }

  /** The ONNX {@code TensorProto.DataType} number (FLOAT = 1, INT64 = 7, ...). */
  public int code() {
    return dataType.getNumber();
  }

  /** The name ONNX gives any element type number, e.g. "FLOAT", or "DataType(99)" if unknown. */
  public static String nameOf(int code) {
    DataType type = DataType.forNumber(code);
    return type == null ? "DataType(" + code + ")" : type.name();
  }
}
