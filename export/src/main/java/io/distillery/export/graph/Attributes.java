package io.distillery.export.graph;

import com.google.protobuf.ByteString;
import io.distillery.export.onnx.OnnxProto.AttributeProto;
import io.distillery.export.onnx.OnnxProto.AttributeProto.AttributeType;
import io.distillery.export.onnx.OnnxProto.TensorProto;
import java.util.Arrays;

/** Turns the Java values callers pass as node attributes into {@link AttributeProto}s. */
final class Attributes {
  private Attributes() {}

  /**
   * Integer, Long and {@link ElemType} become INT; Float and Double FLOAT; String STRING; int[]
   * and long[] INTS; float[] FLOATS; String[] STRINGS; {@link TensorProto} TENSOR.
   */
  static AttributeProto of(String name, Object value) {
    AttributeProto.Builder a = AttributeProto.newBuilder().setName(name);
    if (value instanceof Integer || value instanceof Long) {
      a.setType(AttributeType.INT).setI(((Number) value).longValue());
    } else if (value instanceof ElemType e) {
      a.setType(AttributeType.INT).setI(e.code());
    } else if (value instanceof Float || value instanceof Double) {
      a.setType(AttributeType.FLOAT).setF(((Number) value).floatValue());
    } else if (value instanceof String s) {
      a.setType(AttributeType.STRING).setS(ByteString.copyFromUtf8(s));
    } else if (value instanceof TensorProto t) {
      a.setType(AttributeType.TENSOR).setT(t);
    } else if (value instanceof int[] || value instanceof long[]) {
      a.setType(AttributeType.INTS);
      for (long l : longs(name, value)) {
        a.addInts(l);
      }
    } else if (value instanceof float[] floats) {
      a.setType(AttributeType.FLOATS);
      for (float f : floats) {
        a.addFloats(f);
      }
    } else if (value instanceof String[] strings) {
      a.setType(AttributeType.STRINGS);
      for (String s : strings) {
        a.addStrings(ByteString.copyFromUtf8(s));
      }
    } else {
      throw new IllegalArgumentException(
          "attribute '" + name + "': unsupported value type " + value.getClass().getSimpleName());
    }
    return a.build();
  }

  /** The int64 list of an INTS attribute value (int[] or long[]), for moving axes to an input. */
  static long[] longs(String name, Object value) {
    if (value instanceof long[] l) {
      return l.clone();
    }
    if (value instanceof int[] ints) {
      return Arrays.stream(ints).asLongStream().toArray();
    }
    throw new IllegalArgumentException(
        "attribute '" + name + "' must be int[] or long[], got " + value.getClass().getSimpleName());
  }
}
