package io.distillery.learn.prompter;

import com.fasterxml.jackson.databind.JsonNode;
import io.distillery.core.BadInputException;
import io.distillery.core.Json;
import io.distillery.runtime.classify.Classifier;
import io.distillery.runtime.classify.Logits;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.IntStream;

/**
 * Topic openers for the categorical prompter, mined without task data: whole-word tokens of the
 * generator's vocabulary (a byte-level BPE word token "Ġacting" is a word the generator knows
 * well), each put in the opener "The {word}", scored by the teacher, and per label the
 * {@code perLabel} openers the teacher reads as most that label. Nothing task-specific is fixed:
 * the vocabulary and the teacher decide.
 */
public final class TopicWords {
  /** Function words that make no topic. */
  private static final Set<String> STOP = Set.of(
      "that", "this", "with", "from", "have", "were", "they", "their", "there", "what", "when",
      "which", "would", "could", "should", "will", "been", "than", "then", "them", "these",
      "those", "into", "your", "some", "very", "just", "only", "also", "about", "after", "before",
      "where", "while", "other", "such", "each", "more", "most", "much", "many", "upon", "unto",
      "shall", "thou", "thee", "thy", "hath", "being", "does", "doth", "said", "here", "over");

  private TopicWords() {}

  /** Lower-case alphabetic whole-word tokens of at least 4 letters, in vocabulary id order. */
  public static List<String> vocabularyWords(Path tokenizerJson) {
    JsonNode vocab;
    try {
      vocab = Json.MAPPER.readTree(Files.readString(tokenizerJson)).path("model").path("vocab");
    } catch (IOException e) {
      throw BadInputException.of(tokenizerJson, "cannot read the tokenizer (" + e.getMessage() + ")", e);
    }
    if (!vocab.isObject() || vocab.isEmpty()) {
      throw BadInputException.of(tokenizerJson, "expected a model.vocab object, found none");
    }
    List<Map.Entry<String, Integer>> words = new ArrayList<>();
    for (Iterator<Map.Entry<String, JsonNode>> it = vocab.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> e = it.next();
      String token = e.getKey();
      // byte-level BPE marks a leading space with 'Ġ'; SentencePiece with '▁'
      if ((token.startsWith("\u0120") || token.startsWith("\u2581")) && token.length() >= 5) {
        String w = token.substring(1);
        if (w.chars().allMatch(c -> c >= 'a' && c <= 'z') && !STOP.contains(w)) {
          words.add(Map.entry(w, e.getValue().asInt()));
        }
      }
    }
    words.sort(Map.Entry.comparingByValue());
    return words.stream().map(Map.Entry::getKey).toList();
  }

  /** The opener a word becomes. */
  public static String opener(String word) {
    return "The " + word.toLowerCase(Locale.ROOT);
  }

  /**
   * The union over labels of the {@code perLabel} openers the teacher gives the highest
   * probability of that label, label by label, each list in descending order.
   */
  public static List<String> mine(List<String> words, Classifier teacher, int numLabels, int perLabel) {
    List<String> openers = words.stream().map(TopicWords::opener).toList();
    float[][] logits = teacher.logits(openers);
    Set<String> out = new LinkedHashSet<>();
    for (int l = 0; l < numLabels; l++) {
      final int label = l;
      double[] p = new double[openers.size()];
      for (int i = 0; i < p.length; i++) {
        p[i] = Logits.softmax(logits[i])[label];
      }
      IntStream.range(0, p.length).boxed()
          .sorted(Comparator.comparingDouble((Integer i) -> -p[i]).thenComparing(i -> i))
          .limit(perLabel).forEach(i -> out.add(openers.get(i)));
    }
    return List.copyOf(out);
  }
}
