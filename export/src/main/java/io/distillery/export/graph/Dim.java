package io.distillery.export.graph;

import io.distillery.export.onnx.OnnxProto.TensorShapeProto;

/**
 * One dimension of a declared tensor shape: a fixed size ({@code Dim.of(384)}) or a symbolic name
 * shared by the tensors that agree on it ({@code Dim.of("batch")}).
 */
public record Dim(long size, String symbol) {
  public Dim {
    if (symbol == null && size < 0) {
      throw new IllegalArgumentException("dimension size must be >= 0, got " + size);
    }
    if (symbol != null && symbol.isBlank()) {
      throw new IllegalArgumentException("symbolic dimension name must not be blank");
    }
  }

  public static Dim of(long size) {
    return new Dim(size, null);
  }

  public static Dim of(String symbol) {
    return new Dim(-1, symbol);
  }

  public boolean isSymbolic() {
    return symbol != null;
  }

  TensorShapeProto.Dimension toProto() {
    TensorShapeProto.Dimension.Builder d = TensorShapeProto.Dimension.newBuilder();
    return (isSymbolic() ? d.setDimParam(symbol) : d.setDimValue(size)).build();
  }

  @Override
  public String toString() {
    return isSymbolic() ? symbol : Long.toString(size);
  }
}
