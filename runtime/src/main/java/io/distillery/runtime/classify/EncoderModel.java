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
  private final OpenFolder opened;
  private final Encoder encoder;

  private EncoderModel(OpenFolder opened, Encoder encoder) {
    this.opened = opened;
    this.encoder = encoder;
  }

  /**
   * Opens an encoder folder (or a .onnx file with tokenizer.json beside it).
   *
   * @throws io.distillery.core.BadInputException (exit 2) naming the file at fault
   */
  public static EncoderModel open(
      Path folderOrOnnx, SessionFactory sessions, SessionConfig sessionConfig, BatchConfig batchConfig) {
    return OpenFolder.open(folderOrOnnx, sessions, sessionConfig,
        f -> new EncoderModel(f, new Encoder(f.session(), f.tokenizer(), batchConfig)));
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

  public Encoder encoder() {
    return encoder;
  }

  @Override
  public void close() {
    opened.close();
  }
}
