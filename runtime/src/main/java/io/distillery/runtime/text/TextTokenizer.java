package io.distillery.runtime.text;

import ai.djl.huggingface.tokenizers.Encoding;
import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import com.fasterxml.jackson.databind.JsonNode;
import io.distillery.core.BadInputException;
import io.distillery.core.ConfigException;
import io.distillery.runtime.model.JsonFile;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A Hugging Face {@code tokenizer.json} (through DJL's native tokenizers binding) set up for
 * batched inference: special tokens added, truncation to {@link #maxLength()} on, padding OFF.
 * Padding is the batcher's job, so each batch is padded only to its own longest row; the padding
 * a tokenizer.json declares (e.g. all-MiniLM-L6-v2's Fixed(128)) is deliberately ignored.
 *
 * <p>Truncated texts are kept, not rejected; {@link TokenizedText#truncated()} and {@link
 * TokenizedText#originalLength()} let callers count them.
 */
public final class TextTokenizer implements AutoCloseable {
  /** Max length when tokenizer.json declares no truncation. */
  public static final int FALLBACK_MAX_LENGTH = 512;

  static {
    // DJL calls home unless told not to; Distillery never touches the network.
    if (System.getenv("OPT_OUT_TRACKING") == null
        && System.getProperty("OPT_OUT_TRACKING") == null) {
      System.setProperty("OPT_OUT_TRACKING", "true");
    }
  }

  private final Path path;
  private final int maxLength;
  private final long padId;
  private final HuggingFaceTokenizer truncating;
  private final HuggingFaceTokenizer full;

  private TextTokenizer(
      Path path,
      int maxLength,
      long padId,
      HuggingFaceTokenizer truncating,
      HuggingFaceTokenizer full) {
    this.path = path;
    this.maxLength = maxLength;
    this.padId = padId;
    this.truncating = truncating;
    this.full = full;
  }

  /** Loads {@code tokenizerJson} with its declared max length, else {@value #FALLBACK_MAX_LENGTH}. */
  public static TextTokenizer load(Path tokenizerJson) {
    return load(tokenizerJson, 0);
  }

  /**
   * Loads {@code tokenizerJson}.
   *
   * @param maxLength tokens per text after truncation, special tokens included; 0 takes the
   *     tokenizer.json truncation max_length, else {@value #FALLBACK_MAX_LENGTH}
   * @throws BadInputException {@code path: not a tokenizer.json (...)} when the file is not JSON
   *     or the native tokenizer rejects it
   */
  public static TextTokenizer load(Path tokenizerJson, int maxLength) {
    if (maxLength < 0) {
      throw new ConfigException(
          "tokenizer maxLength must be >= 0 (0 = from tokenizer.json), got " + maxLength);
    }
    if (!Files.isRegularFile(tokenizerJson)) {
      throw BadInputException.of(tokenizerJson, "not found; expected a Hugging Face tokenizer.json");
    }
    JsonNode root = JsonFile.readObject(tokenizerJson, "a tokenizer.json");
    if (!root.has("model")) {
      throw BadInputException.of(tokenizerJson, "not a tokenizer.json (no \"model\" section)");
    }
    checkUnknownToken(tokenizerJson, root.path("model"));
    int length = maxLength > 0 ? maxLength : declaredMaxLength(root);
    long padId = root.path("padding").path("pad_id").asLong(0);
    HuggingFaceTokenizer truncating = null;
    try {
      truncating = open(tokenizerJson, length, true);
      HuggingFaceTokenizer full = open(tokenizerJson, length, false);
      return new TextTokenizer(tokenizerJson, length, padId, truncating, full);
    } catch (IOException | RuntimeException e) {
      if (truncating != null) {
        truncating.close();
      }
      throw BadInputException.of(
          tokenizerJson, "not a tokenizer.json (" + oneLine(e.getMessage()) + ")", e);
    }
  }

  /**
   * A WordLevel or WordPiece model maps every unknown word to its {@code unk_token}; the native
   * tokenizer accepts a vocabulary without that token and then fails on the first unknown word
   * (found by fuzzing), so it is refused here, before any job starts.
   */
  private static void checkUnknownToken(Path file, JsonNode model) {
    String type = model.path("type").asText("");
    JsonNode unk = model.path("unk_token");
    if ((type.equals("WordLevel") || type.equals("WordPiece")) && unk.isTextual()
        && model.path("vocab").isObject() && !model.path("vocab").has(unk.asText())) {
      throw BadInputException.of(file, "model.unk_token '" + unk.asText() + "' is not in"
          + " model.vocab; a " + type + " tokenizer needs it for unknown words");
    }
  }

  private static int declaredMaxLength(JsonNode root) {
    JsonNode declared = root.path("truncation").path("max_length");
    return declared.canConvertToInt() && declared.asInt() > 0
        ? declared.asInt()
        : FALLBACK_MAX_LENGTH;
  }

  private static HuggingFaceTokenizer open(Path file, int maxLength, boolean truncate)
      throws IOException {
    return HuggingFaceTokenizer.newInstance(
        file,
        Map.of(
            "addSpecialTokens", "true",
            "withOverflowingTokens", "false",
            "padding", "false",
            "truncation", Boolean.toString(truncate),
            "maxLength", Integer.toString(maxLength),
            "modelMaxLength", Integer.toString(maxLength)));
  }

  public Path path() {
    return path;
  }

  /** Tokens per text after truncation, special tokens included. */
  public int maxLength() {
    return maxLength;
  }

  /** The id padding positions get ({@code padding.pad_id} in tokenizer.json, else 0). */
  public long padId() {
    return padId;
  }

  /** Tokenizes one text (special tokens added, truncated to {@link #maxLength()}, not padded). */
  public TokenizedText encode(String text) {
    try {
      Encoding encoding = truncating.encode(text);
      int original =
          encoding.exceedMaxLength() ? full.encode(text).getIds().length : encoding.getIds().length;
      return toText(encoding, original);
    } catch (RuntimeException e) {
      throw failed(e);
    }
  }

  /** A native tokenizer error as a one-line error naming the tokenizer.json. */
  private BadInputException failed(RuntimeException e) {
    return BadInputException.of(path, "the tokenizer failed on a text (" + oneLine(e.getMessage())
        + ")", e);
  }

  /** Tokenizes many texts at once (natively parallel); same rules as {@link #encode}. */
  public List<TokenizedText> encodeAll(List<String> texts) {
    if (texts.isEmpty()) {
      return List.of();
    }
    try {
      return encodeAllUnchecked(texts);
    } catch (BadInputException e) {
      throw e;
    } catch (RuntimeException e) {
      throw failed(e);
    }
  }

  private List<TokenizedText> encodeAllUnchecked(List<String> texts) {
    Encoding[] encodings = truncating.batchEncode(texts);
    List<Integer> longRows = new ArrayList<>();
    for (int i = 0; i < encodings.length; i++) {
      if (encodings[i].exceedMaxLength()) {
        longRows.add(i);
      }
    }
    int[] original = new int[encodings.length];
    for (int i = 0; i < encodings.length; i++) {
      original[i] = encodings[i].getIds().length;
    }
    if (!longRows.isEmpty()) {
      Encoding[] untruncated = full.batchEncode(longRows.stream().map(texts::get).toList());
      for (int k = 0; k < untruncated.length; k++) {
        original[longRows.get(k)] = untruncated[k].getIds().length;
      }
    }
    List<TokenizedText> result = new ArrayList<>(encodings.length);
    for (int i = 0; i < encodings.length; i++) {
      result.add(toText(encodings[i], original[i]));
    }
    return result;
  }

  /** Turns ids back into text. */
  public String decode(long[] ids, boolean skipSpecialTokens) {
    return truncating.decode(ids, skipSpecialTokens);
  }

  private static TokenizedText toText(Encoding encoding, int originalLength) {
    long[] ids = encoding.getIds();
    return new TokenizedText(ids, encoding.getTypeIds(), originalLength, originalLength > ids.length);
  }

  private static String oneLine(String message) {
    return message == null
        ? "rejected by the tokenizers library"
        : message.strip().replaceAll("\\s*\\R\\s*", " ");
  }

  @Override
  public void close() {
    truncating.close();
    full.close();
  }
}
