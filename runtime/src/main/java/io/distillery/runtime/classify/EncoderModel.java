package io.distillery.runtime.classify;

import io.distillery.runtime.batch.BatchConfig;
import io.distillery.runtime.model.ModelFolder;
import io.distillery.runtime.session.ModelSession;
import io.distillery.runtime.session.SessionConfig;
import io.distillery.runtime.session.SessionFactory;
import io.distillery.runtime.text.TextTokenizer;
import java.nio.file.Path;

/**
 * An encoder folder (e.g. all-MiniLM-L6-v2: model.onnx with last_hidden_state, tokenizer.json)
 * opened for use: session, tokenizer and {@link Encoder}, closed together.
 */
public final class EncoderModel implements AutoCloseable {
  private final ModelFolder folder;
  private final ModelSession session;
  private final TextTokenizer tokenizer;
  private final Encoder encoder;

  private EncoderModel(ModelFolder folder, ModelSession session, TextTokenizer tokenizer, Encoder encoder) {
    this.folder = folder;
    this.session = session;
    this.tokenizer = tokenizer;
    this.encoder = encoder;
  }

  /**
   * Opens an encoder folder (or a .onnx file with tokenizer.json beside it).
   *
   * @throws io.distillery.core.BadInputException (exit 2) naming the file at fault
   */
  public static EncoderModel open(
      Path folderOrOnnx, SessionFactory sessions, SessionConfig sessionConfig, BatchConfig batchConfig) {
    ModelFolder folder = ModelFolder.of(folderOrOnnx);
    TextTokenizer tokenizer = TextTokenizer.load(folder.tokenizer());
    ModelSession session = null;
    try {
      session = sessions.open(folder.model(), sessionConfig);
      return new EncoderModel(folder, session, tokenizer, new Encoder(session, tokenizer, batchConfig));
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

  public Encoder encoder() {
    return encoder;
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
