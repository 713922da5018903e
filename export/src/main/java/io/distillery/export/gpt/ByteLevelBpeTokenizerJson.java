package io.distillery.export.gpt;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.distillery.core.AtomicFiles;
import io.distillery.core.BadInputException;
import io.distillery.core.ConfigException;
import io.distillery.core.Json;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * Turns GPT-2's byte-level BPE files ({@code encoder.json} = vocab.json, {@code vocab.bpe} =
 * merges.txt) into a standard Hugging Face {@code tokenizer.json} (ByteLevel pre-tokenizer and
 * decoder, BPE model) that DJL's {@code HuggingFaceTokenizer} and Python's {@code tokenizers} load.
 *
 * <p>The vocabulary may be truncated: the 256 byte tokens, the first {@code vocabSize - 257}
 * merges in rank order, and {@code <|endoftext|>} as the last id. Every kept merge joins two
 * tokens that are themselves kept, so the result is still an exact byte-level BPE: any UTF-8 text
 * encodes and decodes back to itself, just into more tokens than with the full vocabulary.
 */
public final class ByteLevelBpeTokenizerJson {
  /** GPT-2's full vocabulary: 256 bytes + 50,000 merges + end of text. */
  public static final int GPT2_VOCAB_SIZE = 50_257;
  /** The special token that ends (and separates) documents. */
  public static final String END_OF_TEXT = "<|endoftext|>";
  private static final int BYTE_TOKENS = 256;

  private ByteLevelBpeTokenizerJson() {}

  /**
   * Builds the {@code tokenizer.json} tree.
   *
   * @param encoderJson the bytes of GPT-2's {@code encoder.json} (token string to id)
   * @param vocabBpe the bytes of GPT-2's {@code vocab.bpe} (one merge per line, rank order)
   * @param vocabSize total ids to keep, end-of-text included: 257 (bytes only) to 50,257
   * @param source a label for error messages (the file or package the bytes came from)
   */
  public static ObjectNode build(byte[] encoderJson, byte[] vocabBpe, int vocabSize, Path source) {
    if (vocabSize < BYTE_TOKENS + 1 || vocabSize > GPT2_VOCAB_SIZE) {
      throw new ConfigException(
          "vocabSize must be in [257, " + GPT2_VOCAB_SIZE + "] (256 bytes + merges + end of text),"
              + " got " + vocabSize);
    }
    Map<String, Integer> encoder = readEncoder(encoderJson, source);
    List<String[]> merges = readMerges(vocabBpe, source);
    int keepMerges = vocabSize - BYTE_TOKENS - 1;
    if (merges.size() < keepMerges) {
      throw BadInputException.of(
          source, "vocab.bpe has " + merges.size() + " merges, need " + keepMerges);
    }
    JsonNodeFactory f = JsonNodeFactory.instance;
    ObjectNode vocab = f.objectNode();
    Map<String, Integer> kept = new HashMap<>();
    for (Map.Entry<String, Integer> e : encoder.entrySet()) {
      if (e.getValue() < BYTE_TOKENS) {
        kept.put(e.getKey(), e.getValue());
      }
    }
    if (kept.size() != BYTE_TOKENS) {
      throw BadInputException.of(
          source, "encoder.json must give ids 0..255 to the 256 byte tokens, found " + kept.size());
    }
    ArrayNode mergeArray = f.arrayNode();
    for (int rank = 0; rank < keepMerges; rank++) {
      String[] pair = merges.get(rank);
      String joined = pair[0] + pair[1];
      Integer id = encoder.get(joined);
      if (id == null || id != BYTE_TOKENS + rank) {
        throw BadInputException.of(
            source,
            "merge " + rank + " '" + pair[0] + " " + pair[1] + "' should give id "
                + (BYTE_TOKENS + rank) + " in encoder.json, found " + id);
      }
      if (!kept.containsKey(pair[0]) || !kept.containsKey(pair[1])) {
        throw BadInputException.of(
            source, "merge " + rank + " uses a token that no earlier merge made: " + joined);
      }
      kept.put(joined, id);
      mergeArray.add(pair[0] + " " + pair[1]);
    }
    int eotId = vocabSize - 1;
    kept.entrySet().stream()
        .sorted(Map.Entry.comparingByValue())
        .forEach(e -> vocab.put(e.getKey(), e.getValue()));
    vocab.put(END_OF_TEXT, eotId);

    return tree(vocab, mergeArray, eotId);
  }

  /**
   * The bytes-only tokenizer: the 256 byte tokens (GPT-2's byte-to-unicode alphabet, ids 0..255),
   * no merges, {@code <|endoftext|>} as id 256. Every UTF-8 byte is one token; small test models
   * use it.
   */
  public static ObjectNode bytesOnly() {
    JsonNodeFactory f = JsonNodeFactory.instance;
    ObjectNode vocab = f.objectNode();
    unicodeToByte().entrySet().stream()
        .sorted(Map.Entry.comparingByValue())
        .forEach(e -> vocab.put(new String(Character.toChars(e.getKey())), e.getValue()));
    vocab.put(END_OF_TEXT, BYTE_TOKENS);
    return tree(vocab, f.arrayNode(), BYTE_TOKENS);
  }

  /** The tokenizer.json around a byte-level BPE vocabulary and merge list. */
  private static ObjectNode tree(ObjectNode vocab, ArrayNode mergeArray, int eotId) {
    JsonNodeFactory f = JsonNodeFactory.instance;
    ObjectNode root = f.objectNode();
    root.put("version", "1.0");
    root.putNull("truncation");
    root.putNull("padding");
    ObjectNode added = root.putArray("added_tokens").addObject();
    added.put("id", eotId);
    added.put("content", END_OF_TEXT);
    added.put("single_word", false);
    added.put("lstrip", false);
    added.put("rstrip", false);
    added.put("normalized", true);
    added.put("special", true);
    root.putNull("normalizer");
    root.set("pre_tokenizer", byteLevel(f, false, true));
    root.set("post_processor", byteLevel(f, true, false));
    root.set("decoder", byteLevel(f, true, true));
    ObjectNode model = root.putObject("model");
    model.put("type", "BPE");
    model.putNull("dropout");
    model.putNull("unk_token");
    model.put("continuing_subword_prefix", "");
    model.put("end_of_word_suffix", "");
    model.put("fuse_unk", false);
    model.put("byte_fallback", false);
    model.set("vocab", vocab);
    model.set("merges", mergeArray);
    return root;
  }

  /** Builds and writes {@code tokenizer.json} atomically. */
  public static void write(
      byte[] encoderJson, byte[] vocabBpe, int vocabSize, Path source, Path target) {
    ObjectNode root = build(encoderJson, vocabBpe, vocabSize, source);
    try {
      AtomicFiles.writeBytes(target, Json.LINE_MAPPER.writeValueAsBytes(root));
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("a tree of plain nodes always serialises", e);
    }
  }

  /**
   * The UTF-8 length of every token id of a byte-level BPE {@code tokenizer.json} (special tokens
   * count 0): what bits-per-byte divides by.
   */
  public static int[] tokenByteLengths(JsonNode tokenizerJson) {
    JsonNode vocab = tokenizerJson.path("model").path("vocab");
    Map<Integer, Integer> unicodeToByte = unicodeToByte();
    int max = 0;
    for (Iterator<JsonNode> it = vocab.elements(); it.hasNext(); ) {
      max = Math.max(max, it.next().asInt());
    }
    int[] lengths = new int[max + 1];
    for (Iterator<Map.Entry<String, JsonNode>> it = vocab.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> e = it.next();
      String token = e.getKey();
      boolean plain = token.codePoints().allMatch(unicodeToByte::containsKey);
      lengths[e.getValue().asInt()] = plain && !token.equals(END_OF_TEXT)
          ? (int) token.codePoints().count() : 0;
    }
    return lengths;
  }

  /**
   * GPT-2's byte-to-unicode table inverted: printable Latin-1 bytes map to themselves, the other
   * 68 bytes to code points 256 and up, in byte order.
   */
  static Map<Integer, Integer> unicodeToByte() {
    Map<Integer, Integer> out = new HashMap<>();
    int extra = 0;
    for (int b = 0; b < 256; b++) {
      boolean printable = (b >= '!' && b <= '~') || (b >= 0xA1 && b <= 0xAC) || (b >= 0xAE);
      out.put(printable ? b : 256 + extra++, b);
    }
    return out;
  }

  private static ObjectNode byteLevel(JsonNodeFactory f, boolean addPrefixSpace, boolean trim) {
    ObjectNode n = f.objectNode();
    n.put("type", "ByteLevel");
    n.put("add_prefix_space", addPrefixSpace);
    n.put("trim_offsets", trim);
    n.put("use_regex", true);
    return n;
  }

  private static Map<String, Integer> readEncoder(byte[] bytes, Path source) {
    JsonNode node;
    try {
      node = Json.MAPPER.readTree(bytes);
    } catch (java.io.IOException e) {
      throw BadInputException.of(source, "encoder.json is not valid JSON (" + e.getMessage() + ")");
    }
    if (!(node instanceof ObjectNode obj)) {
      throw BadInputException.of(source, "encoder.json must be an object of token to id");
    }
    Map<String, Integer> out = new HashMap<>();
    for (Iterator<Map.Entry<String, JsonNode>> it = obj.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> e = it.next();
      out.put(e.getKey(), e.getValue().asInt());
    }
    return out;
  }

  private static List<String[]> readMerges(byte[] bytes, Path source) {
    String text = new String(bytes, StandardCharsets.UTF_8);
    List<String[]> out = new ArrayList<>();
    int lineNo = 0;
    for (String line : text.split("\n", -1)) {
      lineNo++;
      if (line.isEmpty() || line.startsWith("#version")) {
        continue;
      }
      String[] pair = line.split(" ");
      if (pair.length != 2) {
        throw BadInputException.of(
            source, "vocab.bpe line " + lineNo + ": expected 'left right', found '" + line + "'");
      }
      out.add(pair);
    }
    return out;
  }
}
