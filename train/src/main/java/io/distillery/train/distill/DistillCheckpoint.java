package io.distillery.train.distill;

import ai.djl.nn.Parameter;
import io.distillery.core.BadInputException;
import io.distillery.train.checkpoint.CheckpointFile;
import io.distillery.train.gpt.AdamW;
import io.distillery.train.student.StudentClassifier;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
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
    CheckpointFile.write(file(dir), MAGIC, out -> {
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
      CheckpointFile.writeParameters(out, model.namedParameters(), optimizer.firstMoments(),
          optimizer.secondMoments());
      out.writeBoolean(s.best != null);
      if (s.best != null) {
        for (float[] b : s.best) {
          CheckpointFile.writeFloats(out, b);
        }
      }
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
    return CheckpointFile.read(file, MAGIC, "student", in -> {
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
      CheckpointFile.Moments m = CheckpointFile.readParameters(in, file, params);
      optimizer.restore(m.first(), m.second(), updates);
      if (in.readBoolean()) {
        s.best = new ArrayList<>();
        for (Map.Entry<String, Parameter> e : params.entrySet()) {
          s.best.add(CheckpointFile.readFloats(in, e.getValue().getArray().size(), file,
              e.getKey()));
        }
      }
      return s;
    });
  }
}
