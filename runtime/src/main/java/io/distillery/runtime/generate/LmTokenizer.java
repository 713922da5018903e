package io.distillery.runtime.generate;

import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import io.distillery.core.BadInputException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * A causal LM's tokenizer ({@code tokenizer.json}): plain text to ids and back, with no special
 * tokens added, no truncation and no padding (a prompt's length is checked against the model's
 * context by the caller, and generation pads by itself).
 */
public final class LmTokenizer implements AutoCloseable {
  private final Path path;
  private final HuggingFaceTokenizer tokenizer;

  private LmTokenizer(Path path, HuggingFaceTokenizer tokenizer) {
    this.path = path;
    this.tokenizer = tokenizer;
  }

  /**
   * @throws BadInputException naming the file if it is missing or the native tokenizer rejects it
   */
  public static LmTokenizer load(Path tokenizerJson) {
    if (!Files.isRegularFile(tokenizerJson)) {
      throw BadInputException.of(tokenizerJson, "not found; expected a Hugging Face tokenizer.json");
    }
    try {
      return new LmTokenizer(tokenizerJson, HuggingFaceTokenizer.newInstance(tokenizerJson,
          Map.of("addSpecialTokens", "false", "padding", "false", "truncation", "false",
              "withOverflowingTokens", "false")));
    } catch (IOException | RuntimeException e) {
      throw BadInputException.of(tokenizerJson, "not a usable tokenizer.json ("
          + String.valueOf(e.getMessage()).strip().replaceAll("\\s+", " ") + ")", e);
    }
  }

  public Path path() {
    return path;
  }

  /** The ids of {@code text}, exactly as the tokenizer splits it. */
  public long[] encode(String text) {
    return tokenizer.encode(text, false, false).getIds();
  }

  /** The text of {@code ids}, special tokens dropped. */
  public String decode(long[] ids) {
    return tokenizer.decode(ids, true);
  }

  /** The text of {@code ids}, special tokens kept. */
  public String decodeAll(long[] ids) {
    return tokenizer.decode(ids, false);
  }

  @Override
  public void close() {
    tokenizer.close();
  }
}
