package io.distillery.train.distill;

import ai.djl.ndarray.NDArray;
import ai.djl.nn.Parameter;
import io.distillery.core.AtomicFiles;
import io.distillery.core.BadInputException;
import io.distillery.train.gpt.AdamW;
import io.distillery.train.student.StudentClassifier;
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
 * A resumable distillation state in one file, written atomically: a fingerprint of the student
 * shape, the config and the data; the {@link RunState}; every parameter with its AdamW moments;
 * and the best epoch's parameters. A checkpoint written for another shape, config or data set is
 * refused rather than silently mixed in.
 */
final class DistillCheckpoint {
  static final String FILE = "student-checkpoint.bin";
  private static final String MAGIC = "distillery-student-checkpoint-v2";

  private DistillCheckpoint() {}

  static Path file(Path dir) {
    return dir.resolve(FILE);
  }

  static boolean exists(Path dir) {
    return Files.isRegularFile(file(dir));
  }

  static void save(Path dir, String fingerprint, StudentClassifier model, AdamW optimizer,
      RunState s) {
    Map<String, Parameter> params = model.namedParameters();
    AtomicFiles.write(file(dir), raw -> {
      DataOutputStream out = new DataOutputStream(new BufferedOutputStream(raw, 1 << 20));
      out.writeUTF(MAGIC);
      out.writeUTF(fingerprint);
      out.writeInt(s.step);
      out.writeInt(optimizer.updates());
      out.writeInt(s.bestEpoch);
      out.writeDouble(s.bestAccuracy);
      out.writeInt(s.badEpochs);
      out.writeBoolean(s.stoppedEarly);
      out.writeDouble(s.epochLossSum);
      out.writeInt(s.epochLossCount);
      out.writeDouble(s.trainSeconds);
      out.writeLong(s.tokens);
      out.writeInt(s.skippedSteps);
      out.writeInt(s.consecutiveSkips);
      out.writeInt(s.history.size());
      for (EpochRecord r : s.history) {
        out.writeInt(r.epoch());
        out.writeInt(r.step());
        out.writeDouble(r.trainLoss());
        out.writeDouble(r.devAccuracy());
        out.writeDouble(r.elapsedSeconds());
      }
      out.writeInt(params.size());
      int i = 0;
      for (Map.Entry<String, Parameter> e : params.entrySet()) {
        out.writeUTF(e.getKey());
        writeFloats(out, e.getValue().getArray().toFloatArray());
        writeFloats(out, optimizer.firstMoments().get(i).toFloatArray());
        writeFloats(out, optimizer.secondMoments().get(i).toFloatArray());
        i++;
      }
      out.writeBoolean(s.best != null);
      if (s.best != null) {
        for (float[] b : s.best) {
          writeFloats(out, b);
        }
      }
      out.flush();
    });
  }

  /**
   * Loads a checkpoint into an initialised model and its optimizer and returns the run state.
   *
   * @throws BadInputException if the file is not a checkpoint or belongs to another run
   */
  static RunState load(Path dir, String fingerprint, StudentClassifier model, AdamW optimizer) {
    Path file = file(dir);
    Map<String, Parameter> params = model.namedParameters();
    try (DataInputStream in = new DataInputStream(
        new BufferedInputStream(Files.newInputStream(file), 1 << 20))) {
      if (!MAGIC.equals(in.readUTF())) {
        throw BadInputException.of(file, "not a Distillery student checkpoint");
      }
      String found = in.readUTF();
      if (!found.equals(fingerprint)) {
        throw BadInputException.of(file, "checkpoint belongs to another run (expected "
            + fingerprint + ", found " + found + "); use the same student, config and data, or"
            + " a new work folder");
      }
      RunState s = new RunState();
      s.step = in.readInt();
      int updates = in.readInt();
      s.bestEpoch = in.readInt();
      s.bestAccuracy = in.readDouble();
      s.badEpochs = in.readInt();
      s.stoppedEarly = in.readBoolean();
      s.epochLossSum = in.readDouble();
      s.epochLossCount = in.readInt();
      s.trainSeconds = in.readDouble();
      s.tokens = in.readLong();
      s.skippedSteps = in.readInt();
      s.consecutiveSkips = in.readInt();
      int epochs = in.readInt();
      for (int k = 0; k < epochs; k++) {
        s.history.add(new EpochRecord(in.readInt(), in.readInt(), in.readDouble(), in.readDouble(),
            in.readDouble()));
      }
      int count = in.readInt();
      if (count != params.size()) {
        throw BadInputException.of(file,
            "expected " + params.size() + " parameters, found " + count);
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
      optimizer.restore(first, second, updates);
      if (in.readBoolean()) {
        s.best = new ArrayList<>();
        for (Map.Entry<String, Parameter> e : params.entrySet()) {
          s.best.add(readFloats(in, e.getValue().getArray().size(), file, e.getKey()));
        }
      }
      return s;
    } catch (IOException e) {
      throw BadInputException.of(file, "cannot read checkpoint (" + e.getMessage() + ")", e);
    }
  }

  private static void writeFloats(DataOutputStream out, float[] values) throws IOException {
    out.writeInt(values.length);
    ByteBuffer buf = ByteBuffer.allocate(values.length * Float.BYTES);
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
    ByteBuffer.wrap(bytes).asFloatBuffer().get(values);
    return values;
  }
}
