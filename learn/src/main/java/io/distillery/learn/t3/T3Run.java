package io.distillery.learn.t3;

import io.distillery.core.ConfigException;
import io.distillery.runtime.batch.BatchConfig;
import io.distillery.runtime.classify.ClassifierModel;
import io.distillery.runtime.session.SessionConfig;
import io.distillery.runtime.session.SessionFactory;
import io.distillery.synth.prompt.CorpusRewritePrompts;
import io.distillery.synth.source.RawCorpusSource;
import io.distillery.synth.task.TaskSpec;
import io.distillery.train.gpt.TorchThreads;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;

/**
 * One DFKD-T3 tuning run from folders and files, as the CLI and the pipeline start it: opens the
 * teacher (ONNX Runtime, CPU), checks the task labels against its id2label, cuts the general
 * corpus into sentences for {@link CorpusRewritePrompts}, and runs {@link T3Tuner} into
 * {@code out} (resuming when {@code out} holds a checkpoint).
 *
 * @param generator generator folder (model.onnx with GPT-2 weight names, tokenizer.json)
 * @param teacher teacher classifier folder
 * @param corpus general-domain corpus (plain text or JSON Lines with {@code text})
 * @param out the tuned generator folder to write (also holds tuning.jsonl and the checkpoint)
 * @param labels task labels in the teacher's id order; null takes the teacher's
 * @param description one line saying what the task's texts are
 * @param config the tuning settings
 */
public record T3Run(Path generator, Path teacher, Path corpus, Path out, List<String> labels,
    String description, T3Config config) {
  /** Runs the tuning with one PyTorch thread (faster than two on a shared machine). */
  public T3Tuner.Result run(PrintStream log) {
    TorchThreads.configure(1, 1);
    try (ClassifierModel model = ClassifierModel.open(teacher, new SessionFactory(),
        SessionConfig.cpu(), BatchConfig.defaults())) {
      List<String> names = model.labels().names();
      if (labels != null && !labels.equals(names)) {
        throw new ConfigException(teacher + ": the teacher's id2label is " + names
            + " but the task labels are " + labels + "; give the teacher's labels in its id order");
      }
      TaskSpec task = new TaskSpec(labels == null ? names : labels, description);
      CorpusRewritePrompts prompts =
          CorpusRewritePrompts.of(task, RawCorpusSource.open(corpus, RawCorpusSource.Unit.SENTENCE));
      log.printf("[t3] %d corpus sentences, task %s, %s%n", prompts.size(), task.labels(),
          config.toJson());
      return new T3Tuner(config, log).tune(generator, model.classifier()::logits, null, prompts,
          out);
    }
  }
}
