package io.distillery.train.gpt;

import io.distillery.core.BadInputException;
import io.distillery.train.checkpoint.CheckpointFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

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
    CheckpointFile.write(file(dir), MAGIC, out -> {
      GptConfig c = model.config();
      for (int v : new int[] {c.layers(), c.width(), c.heads(), c.context(), c.vocab()}) {
        out.writeInt(v);
      }
      out.writeInt(step);
      out.writeInt(optimizer.updates());
      CheckpointFile.writeParameters(out, model.namedParameters(), optimizer.firstMoments(),
          optimizer.secondMoments());
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
    return CheckpointFile.read(file, MAGIC, "GPT", in -> {
      GptConfig c = new GptConfig(in.readInt(), in.readInt(), in.readInt(), in.readInt(),
          in.readInt());
      if (!c.equals(model.config())) {
        throw BadInputException.of(file, "checkpoint is for " + c + ", the model is "
            + model.config() + "; use the same model settings or a new checkpoint folder");
      }
      int step = in.readInt();
      int updates = in.readInt();
      CheckpointFile.Moments m = CheckpointFile.readParameters(in, file, model.namedParameters());
      return new State(c, step, updates, m.first(), m.second());
    });
  }
}
