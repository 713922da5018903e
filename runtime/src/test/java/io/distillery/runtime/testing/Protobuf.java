package io.distillery.runtime.testing;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** The protobuf wire format, just enough to splice nodes into an ONNX ModelProto in tests. */
final class Protobuf {
  private Protobuf() {}

  /**
   * One field of a message.
   *
   * @param number the field number
   * @param raw the whole field as encoded (tag included), for copying it unchanged
   * @param payload the bytes of a length-delimited field (empty for other wire types)
   */
  record Field(int number, byte[] raw, byte[] payload) {}

  /** Splits a message into its top-level fields, in order. */
  static List<Field> fields(byte[] message) {
    List<Field> fields = new ArrayList<>();
    int[] pos = {0};
    while (pos[0] < message.length) {
      int start = pos[0];
      long tag = readVarint(message, pos);
      int number = (int) (tag >>> 3);
      int wire = (int) (tag & 7);
      byte[] payload = new byte[0];
      switch (wire) {
        case 0 -> readVarint(message, pos);
        case 1 -> pos[0] += 8;
        case 2 -> {
          int length = (int) readVarint(message, pos);
          payload = Arrays.copyOfRange(message, pos[0], pos[0] + length);
          pos[0] += length;
        }
        case 5 -> pos[0] += 4;
        default -> throw new IllegalArgumentException("unsupported wire type " + wire + " at " + start);
      }
      fields.add(new Field(number, Arrays.copyOfRange(message, start, pos[0]), payload));
    }
    return fields;
  }

  private static long readVarint(byte[] b, int[] pos) {
    long value = 0;
    for (int shift = 0; ; shift += 7) {
      byte next = b[pos[0]++];
      value |= (long) (next & 0x7f) << shift;
      if ((next & 0x80) == 0) {
        return value;
      }
    }
  }

  /** Builds one message field by field. */
  static final class Writer {
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();

    Writer raw(byte[] encodedField) {
      out.writeBytes(encodedField);
      return this;
    }

    Writer varint(int field, long value) {
      writeVarint((long) field << 3);
      writeVarint(value);
      return this;
    }

    Writer bytes(int field, byte[] payload) {
      writeVarint(((long) field << 3) | 2);
      writeVarint(payload.length);
      out.writeBytes(payload);
      return this;
    }

    Writer string(int field, String value) {
      return bytes(field, value.getBytes(StandardCharsets.UTF_8));
    }

    Writer message(int field, Writer message) {
      return bytes(field, message.toBytes());
    }

    byte[] toBytes() {
      return out.toByteArray();
    }

    private void writeVarint(long value) {
      while ((value & ~0x7fL) != 0) {
        out.write((int) ((value & 0x7f) | 0x80));
        value >>>= 7;
      }
      out.write((int) value);
    }
  }
}
