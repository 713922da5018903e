package io.distillery.train.checkpoint;

import ai.djl.ndarray.NDArray;
import ai.djl.nn.Parameter;
import io.distillery.core.AtomicFiles;
import io.distillery.core.BadInputException;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.FloatBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The binary layout the training checkpoints share (GPT and student): a magic string, the
 * caller's header, then every named parameter with its two AdamW moments, all big-endian
 * ({@link DataOutputStream}). Files are written atomically, so an interrupted write leaves the
 * previous checkpoint; a file that does not start with the expected magic is refused.
 */
public final class CheckpointFile {
  private static final int BUFFER = 1 << 20;

  private CheckpointFile() {}

  /** Writes the part of a checkpoint after the magic. */
  @FunctionalInterface
  public interface Body {
    void write(DataOutputStream out) throws IOException;
  }

  /** Reads the part of a checkpoint after the magic. */
  @FunctionalInterface
  public interface Reader<T> {
    T read(DataInputStream in) throws IOException;
  }

  /** The AdamW moments read back, in parameter order. */
  public record Moments(List<float[]> first, List<float[]> second) {}

  /** Writes {@code magic} and then {@code body} to {@code file}, atomically. */
  public static void write(Path file, String magic, Body body) {
    AtomicFiles.write(file, raw -> {
      DataOutputStream out = new DataOutputStream(new BufferedOutputStream(raw, BUFFER));
      out.writeUTF(magic);
      body.write(out);
      out.flush();
    });
  }

  /**
   * Reads {@code file} with {@code body} after checking it starts with {@code magic}.
   *
   * @param kind names the checkpoint in the refusal: "not a Distillery {kind} checkpoint"
   * @throws BadInputException if the magic differs or the file cannot be read
   */
  public static <T> T read(Path file, String magic, String kind, Reader<T> body) {
    try (DataInputStream in = new DataInputStream(
        new BufferedInputStream(Files.newInputStream(file), BUFFER))) {
      if (!magic.equals(in.readUTF())) {
        throw BadInputException.of(file, "not a Distillery " + kind + " checkpoint");
      }
      return body.read(in);
    } catch (IOException e) {
      throw BadInputException.of(file, "cannot read checkpoint (" + e.getMessage() + ")", e);
    }
  }

  /**
   * The parameter count, then for each parameter in order its name, its values and its first and
   * second AdamW moments.
   *
   * @param first the first moments in parameter order (AdamW's)
   * @param second the second moments in parameter order
   */
  public static void writeParameters(DataOutputStream out, Map<String, Parameter> params,
      List<NDArray> first, List<NDArray> second) throws IOException {
    out.writeInt(params.size());
    int i = 0;
    for (Map.Entry<String, Parameter> e : params.entrySet()) {
      out.writeUTF(e.getKey());
      writeFloats(out, e.getValue().getArray().toFloatArray());
      writeFloats(out, first.get(i).toFloatArray());
      writeFloats(out, second.get(i).toFloatArray());
      i++;
    }
  }

  /**
   * Reads what {@link #writeParameters} wrote into the (initialised) parameters, in place, and
   * returns the moments.
   *
   * @throws BadInputException if the count, a name or a size differs from {@code params}
   */
  public static Moments readParameters(DataInputStream in, Path file,
      Map<String, Parameter> params) throws IOException {
    int count = in.readInt();
    if (count != params.size()) {
      throw BadInputException.of(file, "expected " + params.size() + " parameters, found " + count);
    }
    List<float[]> first = new ArrayList<>();
    List<float[]> second = new ArrayList<>();
    for (Map.Entry<String, Parameter> e : params.entrySet()) {
      String name = in.readUTF();
      if (!name.equals(e.getKey())) {
        throw BadInputException.of(file, "expected parameter '" + e.getKey() + "', found '"
            + name + "'");
      }
      NDArray w = e.getValue().getArray();
      w.set(FloatBuffer.wrap(readFloats(in, w.size(), file, name)));
      first.add(readFloats(in, w.size(), file, name));
      second.add(readFloats(in, w.size(), file, name));
    }
    return new Moments(first, second);
  }

  /** The length, then the values. */
  public static void writeFloats(DataOutputStream out, float[] values) throws IOException {
    out.writeInt(values.length);
    ByteBuffer buf = ByteBuffer.allocate(values.length * Float.BYTES);
    buf.asFloatBuffer().put(values);
    out.write(buf.array());
  }

  /**
   * Reads what {@link #writeFloats} wrote.
   *
   * @param name the parameter, for the refusal
   * @throws BadInputException if the length is not {@code expected}
   */
  public static float[] readFloats(DataInputStream in, long expected, Path file, String name)
      throws IOException {
    int n = in.readInt();
    if (n != expected) {
      throw BadInputException.of(file, "parameter '" + name + "' has " + n + " values, expected "
          + expected);
    }
    byte[] bytes = new byte[n * Float.BYTES];
    in.readFully(bytes);
    float[] values = new float[n];
    ByteBuffer.wrap(bytes).asFloatBuffer().get(values);
    return values;
  }
}
