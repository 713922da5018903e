package io.distillery.runtime.classify;

import io.distillery.runtime.model.ModelFolder;
import io.distillery.runtime.session.ModelSession;
import io.distillery.runtime.session.SessionConfig;
import io.distillery.runtime.session.SessionFactory;
import io.distillery.runtime.text.TextTokenizer;
import java.nio.file.Path;
import java.util.function.Function;

/**
 * A model folder's tokenizer and session, opened together and closed together; whatever was
 * opened is closed again when opening, or building on top of it, fails.
 */
record OpenFolder(ModelFolder folder, TextTokenizer tokenizer, ModelSession session)
    implements AutoCloseable {

  /** Opens {@code folderOrOnnx} and hands it to {@code build}; cleans up if either throws. */
  static <T> T open(Path folderOrOnnx, SessionFactory sessions, SessionConfig config,
      Function<OpenFolder, T> build) {
    ModelFolder folder = ModelFolder.of(folderOrOnnx);
    TextTokenizer tokenizer = TextTokenizer.load(folder.tokenizer());
    ModelSession session = null;
    try {
      session = sessions.open(folder.model(), config);
      return build.apply(new OpenFolder(folder, tokenizer, session));
    } catch (RuntimeException e) {
      if (session != null) {
        session.close();
      }
      tokenizer.close();
      throw e;
    }
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
