package io.distillery.runtime.text;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.distillery.core.BadInputException;
import io.distillery.core.ExitCode;
import io.distillery.core.Json;
import io.distillery.runtime.testing.TestModels;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TextTokenizerTest {
  private static Path tokenizerJson;
  private static TextTokenizer tokenizer;

  @BeforeAll
  static void load() {
    tokenizerJson = TestModels.minilmInt8().resolve("tokenizer.json");
    tokenizer = TextTokenizer.load(tokenizerJson);
  }

  @AfterAll
  static void close() {
    tokenizer.close();
  }

  @Test
  void helloWorldHasTheKnownBertUncasedIds() {
    TokenizedText text = tokenizer.encode("Hello, world!");
    assertArrayEquals(new long[] {101, 7592, 1010, 2088, 999, 102}, text.ids());
    assertArrayEquals(new long[6], text.typeIds());
    assertEquals(6, text.originalLength());
    assertFalse(text.truncated());
  }

  @Test
  void longerSentenceMatchesTheVocabularyInTokenizerJson() throws IOException {
    String sentence = "The quick brown fox jumps over the lazy dog, and then it sleeps under a warm blanket.";
    JsonNode vocab = Json.MAPPER.readTree(tokenizerJson.toFile()).path("model").path("vocab");
    List<Long> expected = new ArrayList<>();
    expected.add(vocab.path("[CLS]").asLong());
    // BERT pre-tokenization here: lowercase, split on spaces and punctuation; every word is whole in the vocab.
    for (String piece : sentence.toLowerCase().replaceAll("([,.])", " $1").split(" ")) {
      assertTrue(vocab.has(piece), "vocab has '" + piece + "'");
      expected.add(vocab.path(piece).asLong());
    }
    expected.add(vocab.path("[SEP]").asLong());
    assertEquals(101L, expected.get(0));
    assertEquals(102L, expected.get(expected.size() - 1));
    assertArrayEquals(expected.stream().mapToLong(Long::longValue).toArray(), tokenizer.encode(sentence).ids());
  }

  @Test
  void maxLengthComesFromTokenizerJsonAndPaddingIsOff() {
    assertEquals(128, tokenizer.maxLength());
    assertEquals(0L, tokenizer.padId());
    List<TokenizedText> texts = tokenizer.encodeAll(List.of("Short.", "A somewhat longer sentence here.", "Hi"));
    // tokenizer.json declares Fixed(128) padding: it must not apply, each text keeps its own length.
    assertEquals(List.of(4, 8, 3), texts.stream().map(TokenizedText::length).toList());
    for (TokenizedText text : texts) {
      assertTrue(text.length() < 128);
    }
  }

  @Test
  void encodeAllEqualsEncodeOneByOne() {
    List<String> sentences = List.of("Hello, world!", "", "Tokenizers are fun.", "x".repeat(50));
    List<TokenizedText> batch = tokenizer.encodeAll(sentences);
    for (int i = 0; i < sentences.size(); i++) {
      TokenizedText one = tokenizer.encode(sentences.get(i));
      assertArrayEquals(one.ids(), batch.get(i).ids(), "text " + i);
      assertEquals(one.originalLength(), batch.get(i).originalLength());
    }
    assertArrayEquals(new long[] {101, 102}, batch.get(1).ids());
  }

  @Test
  void longTextIsTruncatedAndCountedNotRejected() {
    String longText = String.join(" ", Collections.nCopies(300, "word"));
    TokenizedText text = tokenizer.encode(longText);
    assertEquals(128, text.length());
    assertTrue(text.truncated());
    assertEquals(102L, text.ids()[127], "[SEP] kept at the end");
    assertEquals(302, text.originalLength(), "300 words + [CLS] + [SEP]");
    List<TokenizedText> batch = tokenizer.encodeAll(List.of("short one", longText));
    assertFalse(batch.get(0).truncated());
    assertTrue(batch.get(1).truncated());
    assertEquals(302, batch.get(1).originalLength());
    try (TextTokenizer wide = TextTokenizer.load(tokenizerJson, 512)) {
      TokenizedText untruncated = wide.encode(longText);
      assertEquals(302, untruncated.length());
      assertFalse(untruncated.truncated());
    }
  }

  @Test
  void fileThatIsNotJsonIsRejectedOnOneLine(@TempDir Path dir) throws IOException {
    Path bad = dir.resolve("tokenizer.json");
    Files.writeString(bad, "this is not json\n{");
    BadInputException e = assertThrows(BadInputException.class, () -> TextTokenizer.load(bad));
    assertTrue(e.getMessage().startsWith(bad + ": not a tokenizer.json (not JSON"), e.getMessage());
    assertFalse(e.getMessage().contains("\n"), e.getMessage());
    assertEquals(ExitCode.BAD_INPUT, e.exitCode());
  }

  @Test
  void jsonThatIsNotATokenizerIsRejected(@TempDir Path dir) throws IOException {
    Path noModel = dir.resolve("a.json");
    Files.writeString(noModel, "{\"version\": \"1.0\"}");
    BadInputException e = assertThrows(BadInputException.class, () -> TextTokenizer.load(noModel));
    assertTrue(e.getMessage().startsWith(noModel + ": not a tokenizer.json"), e.getMessage());

    Path brokenModel = dir.resolve("b.json");
    Files.writeString(brokenModel, "{\"model\": {\"type\": \"Nonsense\"}}");
    e = assertThrows(BadInputException.class, () -> TextTokenizer.load(brokenModel));
    assertTrue(e.getMessage().startsWith(brokenModel + ": not a tokenizer.json ("), e.getMessage());
    assertFalse(e.getMessage().contains("\n"), e.getMessage());
  }

  @Test
  void missingFileIsNamed(@TempDir Path dir) {
    Path missing = dir.resolve("tokenizer.json");
    BadInputException e = assertThrows(BadInputException.class, () -> TextTokenizer.load(missing));
    assertEquals(missing + ": not found; expected a Hugging Face tokenizer.json", e.getMessage());
  }

  /** Found by fuzzing: a WordLevel vocabulary without its unk_token loaded, then failed on "a". */
  @Test
  void aWordLevelTokenizerWithoutItsUnknownTokenIsRefusedAtLoad(@TempDir Path dir) throws IOException {
    Path file = dir.resolve("tokenizer.json");
    Files.writeString(file, "{\"version\": \"1.0\", \"normalizer\": {\"type\": \"Lowercase\"},"
        + " \"pre_tokenizer\": {\"type\": \"Whitespace\"}, \"model\": {\"type\": \"WordLevel\","
        + " \"vocab\": {\"[U\": 1, \"still\": 2}, \"unk_token\": \"[UNK]\"}}");
    BadInputException e = assertThrows(BadInputException.class, () -> TextTokenizer.load(file));
    assertTrue(e.getMessage().startsWith(file.toString()) && e.getMessage().contains("unk_token"),
        e.getMessage());
    Files.writeString(file, Files.readString(file).replace("\"[U\": 1", "\"[UNK]\": 1"));
    try (TextTokenizer ok = TextTokenizer.load(file)) {
      assertEquals(2, ok.encode("a still").length()); // "a" is unknown: [UNK]
    }
  }
}
