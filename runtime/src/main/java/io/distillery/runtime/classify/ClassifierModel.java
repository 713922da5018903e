package io.distillery.runtime.classify;

import io.distillery.runtime.batch.BatchConfig;
import io.distillery.runtime.model.LabelMap;
import io.distillery.runtime.model.ModelFolder;
import io.distillery.runtime.session.ModelSession;
import io.distillery.runtime.session.SessionConfig;
import io.distillery.runtime.session.SessionFactory;
import io.distillery.runtime.text.TextTokenizer;
import java.nio.file.Path;

/**
 * A classifier folder opened for use: session, tokenizer, {@link Classifier} and {@link LabelMap},
 * closed together. This is what the CLI opens for a teacher or a student.
 */
public final class ClassifierModel implements AutoCloseable {
  private final OpenFolder opened;
  private final Classifier classifier;
  private final LabelMap labels;

  private ClassifierModel(OpenFolder opened, Classifier classifier, LabelMap labels) {
    this.opened = opened;
    this.classifier = classifier;
    this.labels = labels;
  }

  /**
   * Opens a classifier folder (or a .onnx file with tokenizer.json beside it).
   *
   * @throws io.distillery.core.BadInputException (exit 2) naming the file at fault: a missing
   *     file, a tokenizer.json or config.json that cannot be read, a model that onnxruntime cannot
   *     load or that is not a classifier, an explicit GPU device that is not available
   */
  public static ClassifierModel open(
      Path folderOrOnnx, SessionFactory sessions, SessionConfig sessionConfig, BatchConfig batchConfig) {
    return OpenFolder.open(folderOrOnnx, sessions, sessionConfig, f -> {
      Classifier classifier = new Classifier(f.session(), f.tokenizer(), batchConfig);
      return new ClassifierModel(f, classifier, f.folder().labels(classifier.signature().numLabels()));
    });
  }

  public ModelFolder folder() {
    return opened.folder();
  }

  public ModelSession session() {
    return opened.session();
  }

  public TextTokenizer tokenizer() {
    return opened.tokenizer();
  }

  public Classifier classifier() {
    return classifier;
  }

  public LabelMap labels() {
    return labels;
  }

  @Override
  public void close() {
    opened.close();
  }
}
