package io.distillery.genkd.train;

import io.distillery.core.BadInputException;
import io.distillery.train.checkpoint.CheckpointFile;
import io.distillery.train.gpt.GptCheckpoint;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The resumable state of a run in one folder: the student with its AdamW moments
 * ({@link GptCheckpoint}, {@code checkpoint.bin}) and the soft prompt with its moments
 * ({@code prompt.bin}), both written atomically and both at the same step.
 */
public final class GenKdCheckpoint {
  private static final String PROMPT_FILE = "prompt.bin";
  private static final String MAGIC = "distillery-genkd-prompt-v1";

  private GenKdCheckpoint() {}

  public static boolean exists(Path dir) {
    return GptCheckpoint.exists(dir) && Files.isRegularFile(dir.resolve(PROMPT_FILE));
  }

  /** Writes the prompt first and the student last, each atomically. */
  public static void save(Path dir, GenKdModels models, int step) {
    var opt = models.promptOptimizer();
    CheckpointFile.write(dir.resolve(PROMPT_FILE), MAGIC, out -> {
      out.writeInt(step);
      out.writeInt(opt.updates());
      CheckpointFile.writeParameters(out, models.prompt().asMap(), opt.firstMoments(),
          opt.secondMoments());
    });
    GptCheckpoint.save(dir, models.student(), models.studentOptimizer(), step);
  }

  /**
   * Restores both into the models and returns the step they reached.
   *
   * @throws BadInputException if the two files are at different steps or for other shapes
   */
  public static int load(Path dir, GenKdModels models) {
    GptCheckpoint.State s = GptCheckpoint.load(dir, models.student());
    models.studentOptimizer().restore(s.first(), s.second(), s.updates());
    Path file = dir.resolve(PROMPT_FILE);
    int promptStep = CheckpointFile.read(file, MAGIC, "soft prompt", in -> {
      int step = in.readInt();
      int updates = in.readInt();
      CheckpointFile.Moments m = CheckpointFile.readParameters(in, file, models.prompt().asMap());
      models.promptOptimizer().restore(m.first(), m.second(), updates);
      return step;
    });
    if (promptStep != s.step()) {
      throw BadInputException.of(file, "prompt checkpoint is at step " + promptStep + " but the"
          + " student's is at " + s.step() + "; delete the state folder to start over");
    }
    return s.step();
  }
}
