package io.distillery.train.student;

import com.fasterxml.jackson.databind.JsonNode;
import io.distillery.core.BadInputException;
import io.distillery.core.Json;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The vocabulary size of a Hugging Face {@code tokenizer.json}: one more than the largest token
 * id of {@code model.vocab} (a token-to-id object for WordPiece, WordLevel and BPE; a list of
 * [piece, score] pairs for Unigram) and {@code added_tokens}. This is a student's {@link
 * StudentConfig#vocabSize()} when it shares the teacher's tokenizer.
 */
public final class TokenizerVocabulary {
  private TokenizerVocabulary() {}

  /**
   * @throws BadInputException naming the file if it is unreadable or has no vocabulary
   */
  public static int size(Path tokenizerJson) {
    JsonNode root;
    try {
      root = Json.MAPPER.readTree(Files.readAllBytes(tokenizerJson));
    } catch (IOException e) {
      throw BadInputException.of(tokenizerJson, "cannot read a tokenizer.json (" + e.getMessage()
          + ")", e);
    }
    JsonNode vocab = root == null ? null : root.path("model").get("vocab");
    long max = -1;
    if (vocab != null && vocab.isObject()) {
      for (JsonNode id : vocab) {
        max = Math.max(max, id.asLong(-1));
      }
    } else if (vocab != null && vocab.isArray()) {
      max = vocab.size() - 1;
    }
    if (max < 0) {
      throw BadInputException.of(tokenizerJson,
          "no model.vocab in the tokenizer.json; expected a Hugging Face tokenizer file");
    }
    for (JsonNode added : root.path("added_tokens")) {
      max = Math.max(max, added.path("id").asLong(-1));
    }
    return Math.toIntExact(max + 1);
  }
}
