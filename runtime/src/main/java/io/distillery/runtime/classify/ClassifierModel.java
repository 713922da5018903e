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
  private final ModelFolder folder;
  private final ModelSession session;
  private final TextTokenizer tokenizer;
  private final Classifier classifier;
  private final LabelMap labels;

  private ClassifierModel(
      ModelFolder folder,
      ModelSession session,
      TextTokenizer tokenizer,
      Classifier classifier,
      LabelMap labels) {
    this.folder = folder;
    this.session = session;
    this.tokenizer = tokenizer;
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
    ModelFolder folder = ModelFolder.of(folderOrOnnx);
    TextTokenizer tokenizer = TextTokenizer.load(folder.tokenizer());
    ModelSession session = null;
    try {
      session = sessions.open(folder.model(), sessionConfig);
      Classifier classifier = new Classifier(session, tokenizer, batchConfig);
      LabelMap labels = folder.labels(classifier.signature().numLabels());
      return new ClassifierModel(folder, session, tokenizer, classifier, labels);
    } catch (RuntimeException e) {
      if (session != null) {
        session.close();
      }
      tokenizer.close();
      throw e;
    }
  }

  public ModelFolder folder() {
    return folder;
  }

  public ModelSession session() {
    return session;
  }

  public TextTokenizer tokenizer() {
    return tokenizer;
  }

  public Classifier classifier() {
    return classifier;
  }

  public LabelMap labels() {
    return labels;
  }

  @Override
  public void close() {
    try {
      session.close();
    } finally {
      tokenizer.close();
    }
  }
}
