package io.distillery.train.student;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.distillery.core.BadInputException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TokenizerVocabularyTest {
  @TempDir Path dir;

  @Test
  void countsModelVocabularyAndAddedTokens() throws Exception {
    Path tiny = Path.of(getClass().getResource("/io/distillery/train/tiny-tokenizer.json").toURI());
    assertEquals(42, TokenizerVocabulary.size(tiny));
    Path unigram = dir.resolve("unigram.json");
    Files.writeString(unigram, "{\"model\":{\"type\":\"Unigram\",\"vocab\":[[\"a\",0],[\"b\",-1]]},"
        + "\"added_tokens\":[{\"id\":7,\"content\":\"<x>\"}]}");
    assertEquals(8, TokenizerVocabulary.size(unigram));
    Path bad = dir.resolve("bad.json");
    Files.writeString(bad, "{\"model\":{}}");
    BadInputException e = assertThrows(BadInputException.class, () -> TokenizerVocabulary.size(bad));
    assertTrue(e.getMessage().startsWith(bad.toString()) && e.getMessage().contains("model.vocab"),
        e.getMessage());
  }
}
