package io.distillery.genkd.data;

import com.fasterxml.jackson.databind.JsonNode;
import io.distillery.core.BadInputException;
import io.distillery.core.Json;
import io.distillery.core.Sha256;
import io.distillery.runtime.generate.LmTokenizer;
import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Instruction pairs cut from a general-corpus file (JSON Lines with {@code text}, as
 * {@code distillery models corpus} writes it), split into training and held-out evaluation pairs
 * by document.
 *
 * <p>The split is fixed by the text alone: a document is held out when the first byte of the
 * SHA-256 of its UTF-8 text is below {@code 256 / heldOutEvery} (one in ten by default), so the
 * same documents are held out whatever the file's order, seed or the number of pairs used, and no
 * held-out document (nor a duplicate of its text) is ever in a training set. The evaluation set is
 * the first {@code n} held-out pairs in file order.
 *
 * <p>Cuts (first that applies): a WordNet/GCIDE-style {@code headword: gloss} entry gives the
 * headword and colon → the gloss ({@link InstructionPair.CutKind#GLOSS}); a text with a sentence
 * end after 3+ words and 3+ words after it gives the first sentence → the rest
 * ({@link InstructionPair.CutKind#FIRST_SENTENCE}); any other text of 8+ words gives its first
 * half of the words → the second half ({@link InstructionPair.CutKind#HALF}). Shorter texts are
 * skipped.
 *
 * @param train training pairs, in file order
 * @param heldOut held-out evaluation pairs, in file order
 * @param documents corpus documents read
 */
public record InstructionSet(List<InstructionPair> train, List<InstructionPair> heldOut,
    int documents) {
  /** One document in ten is held out. */
  public static final int HELD_OUT_EVERY = 10;
  private static final Pattern GLOSS = Pattern.compile("^([^:.!?]{2,60}):\\s+(\\S.*)$",
      Pattern.DOTALL);
  private static final Pattern SENTENCE_END = Pattern.compile("[.!?][\"')]?\\s+");

  /**
   * Reads and cuts the corpus.
   *
   * @param maxPrefixTokens prefixes are cut to their last this many tokens (after the start token)
   * @param maxResponseTokens responses are cut to this many tokens
   * @param bos the start token put before every prefix (the generator's end-of-text id)
   * @throws BadInputException naming the file and line when a line is not JSON with a text
   */
  public static InstructionSet read(Path corpus, LmTokenizer tok, int maxPrefixTokens,
      int maxResponseTokens, int bos) {
    if (!Files.isRegularFile(corpus)) {
      throw BadInputException.of(corpus, "no such corpus file; build it with `distillery models"
          + " corpus` or pass JSON Lines with a 'text' field");
    }
    List<InstructionPair> train = new ArrayList<>();
    List<InstructionPair> held = new ArrayList<>();
    int line = 0;
    try (BufferedReader r = Files.newBufferedReader(corpus, StandardCharsets.UTF_8)) {
      for (String l = r.readLine(); l != null; l = r.readLine()) {
        line++;
        if (l.isBlank()) {
          continue;
        }
        JsonNode n;
        try {
          n = Json.MAPPER.readTree(l);
        } catch (IOException e) {
          throw BadInputException.of(corpus, "line " + line + " is not JSON (" + e.getMessage()
              + ")");
        }
        if (!n.path("text").isTextual()) {
          throw BadInputException.of(corpus, "line " + line + " has no string 'text' field");
        }
        String text = n.get("text").asText().strip();
        InstructionPair p = cut(line - 1, text, tok, maxPrefixTokens, maxResponseTokens, bos);
        if (p != null) {
          (isHeldOut(text) ? held : train).add(p);
        }
      }
    } catch (IOException e) {
      throw BadInputException.of(corpus, "cannot read (" + e.getMessage() + ")", e);
    }
    if (train.isEmpty() || held.isEmpty()) {
      throw BadInputException.of(corpus, "expected documents of 8+ words to cut into training and"
          + " held-out pairs, found " + train.size() + " training and " + held.size()
          + " held-out pairs");
    }
    return new InstructionSet(train, held, line);
  }

  /** Whether a document belongs to the held-out evaluation split (by its text's SHA-256). */
  public static boolean isHeldOut(String text) {
    String hex = Sha256.of(text.getBytes(StandardCharsets.UTF_8));
    return Integer.parseInt(hex.substring(0, 2), 16) < 256 / HELD_OUT_EVERY;
  }

  /** The first {@code n} held-out pairs (all of them when fewer). */
  public List<InstructionPair> evaluation(int n) {
    return heldOut.subList(0, Math.min(n, heldOut.size()));
  }

  /** The cut of one document, or null when it is too short to cut. */
  static InstructionPair cut(int doc, String text, LmTokenizer tok, int maxPrefixTokens,
      int maxResponseTokens, int bos) {
    String prefix;
    String rest;
    InstructionPair.CutKind kind;
    Matcher g = GLOSS.matcher(text);
    Matcher s = SENTENCE_END.matcher(text);
    if (g.matches() && words(g.group(2)) >= 3) {
      kind = InstructionPair.CutKind.GLOSS;
      prefix = g.group(1) + ":";
      rest = " " + g.group(2);
    } else if (s.find() && words(text.substring(0, s.end())) >= 3
        && words(text.substring(s.end())) >= 3) {
      kind = InstructionPair.CutKind.FIRST_SENTENCE;
      prefix = text.substring(0, s.end()).stripTrailing();
      rest = " " + text.substring(s.end()).strip();
    } else {
      String[] w = text.split("\\s+");
      if (w.length < 8) {
        return null;
      }
      kind = InstructionPair.CutKind.HALF;
      prefix = String.join(" ", Arrays.copyOfRange(w, 0, w.length / 2));
      rest = " " + String.join(" ", Arrays.copyOfRange(w, w.length / 2, w.length));
    }
    long[] p = tok.encode(prefix);
    long[] c = tok.encode(rest);
    if (p.length == 0 || c.length == 0) {
      return null;
    }
    int pl = Math.min(p.length, maxPrefixTokens);
    int[] prefixIds = new int[pl + 1];
    prefixIds[0] = bos;
    for (int i = 0; i < pl; i++) {
      prefixIds[i + 1] = Math.toIntExact(p[p.length - pl + i]);
    }
    boolean ends = c.length < maxResponseTokens;
    int rl = ends ? c.length + 1 : maxResponseTokens;
    int[] responseIds = new int[rl];
    for (int i = 0; i < Math.min(c.length, rl); i++) {
      responseIds[i] = Math.toIntExact(c[i]);
    }
    if (ends) {
      responseIds[rl - 1] = bos;
    }
    String shownPrefix = pl == p.length ? prefix : tok.decode(Arrays.copyOfRange(p, p.length - pl,
        p.length));
    String shownRest = ends ? rest : tok.decode(Arrays.copyOf(c, rl));
    return new InstructionPair(doc, kind, shownPrefix, shownRest.strip(), prefixIds, responseIds);
  }

  private static int words(String s) {
    String t = s.strip();
    return t.isEmpty() ? 0 : t.split("\\s+").length;
  }
}
