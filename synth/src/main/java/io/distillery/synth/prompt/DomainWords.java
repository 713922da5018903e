package io.distillery.synth.prompt;

import io.distillery.synth.task.TaskSpec;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Pulls a few domain phrases out of a task description, for templates' {@code {domain}} slot.
 * Content words are kept (stop words, task jargon such as "classify" or "sentiment", and the label
 * names are dropped) and naively singularised. When the description names a kind of text ("review",
 * "email", "tweet", ...), the words before it become its modifiers: "Sentiment of movie, product
 * and restaurant review sentences" gives {@code [movie review, product review, restaurant review,
 * review]}; "Classify emails as spam or ham" gives {@code [email]}.
 */
public final class DomainWords {
  /** At most this many phrases are kept. */
  public static final int MAX_PHRASES = 6;
  /** The phrase used when the description has no content word. */
  public static final String FALLBACK = "text";

  /** Nouns that name a kind of text; the first one found heads the domain phrases. */
  static final Set<String> TEXT_KINDS = Set.of(
      "review", "email", "mail", "message", "tweet", "post", "comment", "article", "headline",
      "question", "story", "news", "sms", "letter", "description", "document", "report", "note");

  /** Kinds of text that read as email, which get "Subject:" templates. */
  static final Set<String> EMAIL_KINDS = Set.of("email", "mail", "message", "letter");

  private static final Set<String> STOP = Set.of(
      "a", "an", "the", "of", "and", "or", "as", "in", "on", "for", "to", "from", "by", "with",
      "about", "into", "is", "are", "be", "was", "were", "it", "its", "this", "that", "these",
      "those", "each", "every", "either", "whether", "if", "than", "then", "their", "them", "they",
      "not", "no", "yes", "one", "two", "three", "between", "at", "which", "who", "what",
      "how", "written", "given", "some", "any", "all", "short", "english");

  private static final Set<String> JARGON = Set.of(
      "sentiment", "sentiments", "classify", "classifies", "classification", "classifier",
      "classifying", "detect", "detection", "detecting", "label", "labels", "labelled", "labeled",
      "text", "texts", "sentence", "sentences", "task", "category", "categories", "class",
      "classes", "polarity", "predict", "prediction", "binary", "identify", "tell", "decide",
      "positive", "negative", "neutral", "good", "bad", "tone", "type", "kind", "kinds");

  private DomainWords() {}

  /** The domain phrases of {@code task}, at least one (falling back to {@value #FALLBACK}). */
  public static List<String> of(TaskSpec task) {
    Set<String> labelWords = new LinkedHashSet<>();
    for (String label : task.labels()) {
      for (String w : words(label)) {
        labelWords.add(w);
      }
    }
    List<String> content = new ArrayList<>();
    for (String w : words(task.description())) {
      String s = singular(w);
      if (!STOP.contains(w) && !JARGON.contains(w) && !JARGON.contains(s)
          && !labelWords.contains(w) && !labelWords.contains(s) && w.length() > 1
          && !w.chars().allMatch(Character::isDigit)) {
        content.add(s);
      }
    }
    Set<String> phrases = new LinkedHashSet<>();
    int head = -1;
    for (int i = 0; i < content.size(); i++) {
      if (TEXT_KINDS.contains(content.get(i))) {
        head = i;
        break;
      }
    }
    if (head >= 0) {
      String kind = content.get(head);
      for (int i = 0; i < head; i++) {
        phrases.add(content.get(i) + " " + kind);
      }
      phrases.add(kind);
    } else {
      phrases.addAll(content);
    }
    List<String> out = new ArrayList<>(phrases);
    if (out.isEmpty()) {
      out.add(FALLBACK);
    }
    return List.copyOf(out.subList(0, Math.min(MAX_PHRASES, out.size())));
  }

  /** Whether the description names email-like texts (then "Subject:" openings fit). */
  public static boolean isEmail(TaskSpec task) {
    for (String w : words(task.description())) {
      if (EMAIL_KINDS.contains(singular(w)) || w.equals("spam")) {
        return true;
      }
    }
    return false;
  }

  static List<String> words(String text) {
    List<String> out = new ArrayList<>();
    for (String w : text.toLowerCase(Locale.ROOT).split("[^\\p{L}\\p{N}]+")) {
      if (!w.isEmpty()) {
        out.add(w);
      }
    }
    return out;
  }

  /** "reviews" to "review", "emails" to "email"; leaves "news", "class", "status" alone. */
  static String singular(String w) {
    if (w.length() > 3 && w.endsWith("s") && !w.endsWith("ss") && !w.endsWith("us")
        && !w.endsWith("is") && !w.equals("news")) {
      return w.endsWith("ies") ? w.substring(0, w.length() - 3) + "y" : w.substring(0, w.length() - 1);
    }
    return w;
  }
}
