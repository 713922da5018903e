package io.distillery.models.teacher;

import io.distillery.core.ConfigException;
import io.distillery.models.data.DemoTask;
import io.distillery.train.head.HeadTrainingConfig;

/**
 * How a demo teacher is built: which task, which encoder, how its head is trained, and how many
 * threads the encoder may use.
 *
 * @param trainLimit use only the first N training examples (0 = all); for quick tests
 */
public record TeacherConfig(
    DemoTask task, EncoderVariant encoder, HeadTrainingConfig head, int threads, int trainLimit) {
  public TeacherConfig {
    if (task == null || encoder == null || head == null) {
      throw new ConfigException("teacher config: task, encoder and head must be set");
    }
    if (threads < 0) {
      throw new ConfigException("teacher config: threads must be >= 0, got " + threads);
    }
    if (trainLimit < 0) {
      throw new ConfigException("teacher config: trainLimit must be >= 0, got " + trainLimit);
    }
  }

  public static TeacherConfig defaults(DemoTask task) {
    return new TeacherConfig(task, EncoderVariant.FP32, HeadTrainingConfig.defaults(), 0, 0);
  }
}
