package io.distillery.synth.prompt;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.distillery.core.ConfigException;
import io.distillery.core.Json;
import io.distillery.synth.source.RawCorpusSource;
import io.distillery.synth.task.TaskSpec;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * DFKD-T3's prompt: a general-domain sentence, a line break, then a label template, e.g.
 * {@code "The ship sailed at dawn.\nA negative movie review:"}; the generator rewrites the sentence
 * into task text for the intended label. The same format serves the generator's tuning and later
 * synthesis with the tuned generator.
 *
 * <p>Labels are balanced (consecutive prompts cycle through the labels from a random start);
 * sentence, template and domain are drawn uniformly with the rng. Stateless, so it resumes
 * exactly. Only sentences of {@link #MIN_CHARS}..{@code maxChars} characters are used, so prompts
 * stay short next to the generator's context.
 */
public final class CorpusRewritePrompts implements PromptStrategy {
  /** Shortest sentence used (shorter ones carry too little to rewrite). */
  public static final int MIN_CHARS = 20;
  /** Longest sentence used by default. */
  public static final int DEFAULT_MAX_CHARS = 240;

  private final TaskSpec task;
  private final TemplatePrompts templates;
  private final List<String> sentences;
  private final int maxChars;

  /**
   * @param sentences general-domain sentences (those outside {@link #MIN_CHARS}..{@code maxChars}
   *     characters are skipped)
   * @throws ConfigException when no sentence is left
   */
  public CorpusRewritePrompts(TaskSpec task, TemplatePrompts templates, List<String> sentences,
      int maxChars) {
    if (maxChars <= MIN_CHARS) {
      throw new ConfigException("corpus rewrite: max sentence length must be > " + MIN_CHARS
          + " characters, got " + maxChars);
    }
    List<String> kept = new ArrayList<>();
    for (String s : sentences) {
      String clean = s.replaceAll("\\s+", " ").strip();
      if (clean.length() >= MIN_CHARS && clean.length() <= maxChars) {
        kept.add(clean);
      }
    }
    if (kept.isEmpty()) {
      throw new ConfigException("corpus rewrite: no sentence of " + MIN_CHARS + ".." + maxChars
          + " characters among " + sentences.size() + "; give a corpus of ordinary sentences");
    }
    this.task = task;
    this.templates = templates;
    this.sentences = List.copyOf(kept);
    this.maxChars = maxChars;
  }

  /** The task's default templates over a corpus's sentences. */
  public static CorpusRewritePrompts of(TaskSpec task, RawCorpusSource corpus) {
    return new CorpusRewritePrompts(task, new TemplatePrompts(task), corpus.units(),
        DEFAULT_MAX_CHARS);
  }

  /** The prompt text for one sentence and a filled template. */
  public static String format(String sentence, String template) {
    return sentence + "\n" + template;
  }

  public int size() {
    return sentences.size();
  }

  public TaskSpec task() {
    return task;
  }

  /** Sentence {@code s}, template {@code t}, label {@code label}, domain {@code d}. */
  public Prompt prompt(int s, int t, int label, int d) {
    Prompt filled = templates.prompt(t, label, d);
    return new Prompt("s" + s + "/" + filled.id(), format(sentences.get(s), filled.text()), label);
  }

  @Override
  public List<Prompt> next(int n, SplittableRandom rng) {
    int labels = task.numLabels();
    int start = rng.nextInt(labels);
    List<Prompt> out = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      int s = rng.nextInt(sentences.size());
      int t = rng.nextInt(templates.templates().size());
      int d = rng.nextInt(templates.domains().size());
      out.add(prompt(s, t, (start + i) % labels, d));
    }
    return out;
  }

  /** Fixed prompts: feedback is ignored. */
  @Override
  public boolean learnsFromFeedback() {
    return false;
  }

  @Override
  public ObjectNode describe() {
    ObjectNode node = Json.MAPPER.createObjectNode();
    node.put("kind", "corpus_rewrite");
    node.put("format", "{sentence}\\n{template}");
    node.put("sentences", sentences.size());
    node.put("max_chars", maxChars);
    node.set("templates", templates.describe());
    return node;
  }
}
