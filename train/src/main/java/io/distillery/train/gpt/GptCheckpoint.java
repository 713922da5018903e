package io.distillery.train.gpt;

import ai.djl.ndarray.NDArray;
import ai.djl.nn.Parameter;
import io.distillery.core.AtomicFiles;
import io.distillery.core.BadInputException;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A resumable training state in one file: the model's shape, the number of finished steps, every
 * parameter and both AdamW moments. Written atomically, so an interrupted write leaves the
 * previous checkpoint.
 */
public final class GptCheckpoint {
  /** The file name inside a checkpoint folder. */
  public static final String FILE = "checkpoint.bin";
  private static final String MAGIC = "distillery-gpt-checkpoint-v1";

  private GptCheckpoint() {}

  /** The state read back: {@code step} steps are done; moments in parameter order. */
  public record State(GptConfig config, int step, int updates, List<float[]> first,
      List<float[]> second) {}

  public static Path file(Path dir) {
    return dir.resolve(FILE);
  }

  public static boolean exists(Path dir) {
    return Files.isRegularFile(file(dir));
  }

  public static void save(Path dir, GptModel model, AdamW optimizer, int step) {
    Map<String, Parameter> params = model.namedParameters();
    AtomicFiles.write(file(dir), raw -> {
      DataOutputStream out = new DataOutputStream(new BufferedOutputStream(raw, 1 << 20));
      out.writeUTF(MAGIC);
      GptConfig c = model.config();
      for (int v : new int[] {c.layers(), c.width(), c.heads(), c.context(), c.vocab()}) {
        out.writeInt(v);
      }
      out.writeInt(step);
      out.writeInt(optimizer.updates());
      out.writeInt(params.size());
      int i = 0;
      for (Map.Entry<String, Parameter> e : params.entrySet()) {
        out.writeUTF(e.getKey());
        writeFloats(out, e.getValue().getArray());
        writeFloats(out, optimizer.firstMoments().get(i));
        writeFloats(out, optimizer.secondMoments().get(i));
        i++;
      }
      out.flush();
    });
  }

  /**
   * Reads a checkpoint into an initialised model of the same shape and returns the rest.
   *
   * @throws BadInputException if the file is not a checkpoint or was written for another shape
   */
  public static State load(Path dir, GptModel model) {
    Path file = file(dir);
    if (!Files.isRegularFile(file)) {
      throw BadInputException.of(file, "no such checkpoint");
    }
    Map<String, Parameter> params = model.namedParameters();
    try (DataInputStream in = new DataInputStream(
        new BufferedInputStream(Files.newInputStream(file), 1 << 20))) {
      if (!MAGIC.equals(in.readUTF())) {
        throw BadInputException.of(file, "not a Distillery GPT checkpoint");
      }
      GptConfig c = new GptConfig(in.readInt(), in.readInt(), in.readInt(), in.readInt(),
          in.readInt());
      if (!c.equals(model.config())) {
        throw BadInputException.of(file, "checkpoint is for " + c + ", the model is "
            + model.config() + "; use the same model settings or a new checkpoint folder");
      }
      int step = in.readInt();
      int updates = in.readInt();
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
        w.set(readFloats(in, w.size(), file, name));
        first.add(readFloats(in, w.size(), file, name));
        second.add(readFloats(in, w.size(), file, name));
      }
      return new State(c, step, updates, first, second);
    } catch (IOException e) {
      throw BadInputException.of(file, "cannot read checkpoint (" + e.getMessage() + ")", e);
    }
  }

  private static void writeFloats(DataOutputStream out, NDArray a) throws IOException {
    float[] values = a.toFloatArray();
    out.writeInt(values.length);
    java.nio.ByteBuffer buf = java.nio.ByteBuffer.allocate(values.length * Float.BYTES);
    buf.asFloatBuffer().put(values);
    out.write(buf.array());
  }

  private static float[] readFloats(DataInputStream in, long expected, Path file, String name)
      throws IOException {
    int n = in.readInt();
    if (n != expected) {
      throw BadInputException.of(file, "parameter '" + name + "' has " + n + " values, expected "
          + expected);
    }
    byte[] bytes = new byte[n * Float.BYTES];
    in.readFully(bytes);
    float[] values = new float[n];
    java.nio.ByteBuffer.wrap(bytes).asFloatBuffer().get(values);
    return values;
  }
}
