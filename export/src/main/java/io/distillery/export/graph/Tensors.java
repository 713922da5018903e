package io.distillery.export.graph;

import com.google.protobuf.ByteString;
import io.distillery.export.onnx.OnnxProto.TensorProto;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;

/**
 * ONNX tensors from Java arrays, stored as little-endian {@code raw_data} (as ONNX requires
 * whatever the machine's byte order).
 */
public final class Tensors {
  private Tensors() {}

  /** A float tensor of the given shape; {@code dims} empty means a scalar. */
  public static TensorProto floats(String name, float[] values, long... dims) {
    checkCount(name, values.length, dims);
    ByteBuffer buf = ByteBuffer.allocate(Float.BYTES * values.length).order(ByteOrder.LITTLE_ENDIAN);
    buf.asFloatBuffer().put(values);
    return tensor(name, ElemType.FLOAT, buf, dims);
  }

  /** An int64 tensor of the given shape; {@code dims} empty means a scalar. */
  public static TensorProto longs(String name, long[] values, long... dims) {
    checkCount(name, values.length, dims);
    ByteBuffer buf = ByteBuffer.allocate(Long.BYTES * values.length).order(ByteOrder.LITTLE_ENDIAN);
    buf.asLongBuffer().put(values);
    return tensor(name, ElemType.INT64, buf, dims);
  }

  /** An int8 tensor of the given shape; {@code dims} empty means a scalar. */
  public static TensorProto int8s(String name, byte[] values, long... dims) {
    checkCount(name, values.length, dims);
    return tensor(name, ElemType.INT8, ByteBuffer.wrap(values.clone()), dims);
  }

  /** A float {@code [rows, cols]} tensor from a rectangular matrix, row-major. */
  public static TensorProto matrix(String name, float[][] rows) {
    int cols = rows.length == 0 ? 0 : rows[0].length;
    float[] flat = new float[rows.length * cols];
    for (int r = 0; r < rows.length; r++) {
      if (rows[r].length != cols) {
        throw new IllegalArgumentException(
            name + ": row " + r + " has " + rows[r].length + " values, expected " + cols);
      }
      System.arraycopy(rows[r], 0, flat, r * cols, cols);
    }
    return floats(name, flat, rows.length, cols);
  }

  /** The number of elements a tensor of these dims holds (1 for a scalar). */
  public static long elementCount(long... dims) {
    long n = 1;
    for (long d : dims) {
      n = Math.multiplyExact(n, d);
    }
    return n;
  }

  private static TensorProto tensor(String name, ElemType type, ByteBuffer buf, long[] dims) {
    TensorProto.Builder t = TensorProto.newBuilder().setName(name).setDataType(type.code());
    for (long d : dims) {
      t.addDims(d);
    }
    return t.setRawData(ByteString.copyFrom(buf.array())).build();
  }

  private static void checkCount(String name, int length, long[] dims) {
    for (long d : dims) {
      if (d < 0) {
        throw new IllegalArgumentException(name + ": negative dimension in " + Arrays.toString(dims));
      }
    }
    if (elementCount(dims) != length) {
      throw new IllegalArgumentException(
          name + ": shape " + Arrays.toString(dims) + " holds " + elementCount(dims)
              + " values, got " + length);
    }
  }
}
