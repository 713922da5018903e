package io.distillery.synth.prompt;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.distillery.core.ConfigException;
import io.distillery.core.Json;
import io.distillery.synth.task.TaskSpec;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The baseline prompt strategy: fixed hand-written templates filled with a label name and a domain
 * phrase from the task spec, e.g. "A {label} {domain}:" becomes "A negative movie review:".
 * Intended labels are balanced (consecutive prompts cycle through the labels from a random start);
 * template and domain are drawn uniformly. Stateless, so it resumes exactly.
 *
 * <p>Placeholders: {@code {label}} (required: the label name, lower case, '_' and '-' as spaces)
 * and {@code {domain}} (optional: one of {@link DomainWords#of}). "a"/"A" before a vowel becomes
 * "an"/"An" after filling.
 */
public final class TemplatePrompts implements PromptStrategy {
  /** Templates for any task. */
  public static final List<String> GENERIC = List.of(
      "A {label} {domain}:",
      "Here is a {label} {domain}:",
      "An example of a {label} {domain}:",
      "My {label} {domain}:",
      "This {domain} is {label}:",
      "Read this {label} {domain}.\n");

  /** Extra openings for email-like tasks: the generator writes the subject line and on. */
  public static final List<String> EMAIL = List.of(
      "A {label} email.\nSubject:",
      "Here is a {label} email message.\n\nSubject:",
      "Example of a {label} email:\nSubject: Re:");

  private static final Pattern PLACEHOLDER = Pattern.compile("\\{([^}]*)}");
  private static final Pattern ARTICLE = Pattern.compile("\\b([Aa]) (?=[aeiouAEIOU])");

  private final TaskSpec task;
  private final List<String> templates;
  private final List<String> domains;
  private final List<String> labelWords;

  /** The built-in templates: {@link #GENERIC}, plus {@link #EMAIL} for email-like tasks. */
  public TemplatePrompts(TaskSpec task) {
    this(task, defaultTemplates(task));
  }

  /**
   * Custom templates.
   *
   * @throws ConfigException when the list is empty, a template lacks {@code {label}} or uses an
   *     unknown placeholder
   */
  public TemplatePrompts(TaskSpec task, List<String> templates) {
    if (templates == null || templates.isEmpty()) {
      throw new ConfigException("prompt templates: expected at least one template, found none");
    }
    for (String t : templates) {
      validate(t);
    }
    this.task = task;
    this.templates = List.copyOf(templates);
    this.domains = DomainWords.of(task);
    List<String> words = new ArrayList<>();
    for (String label : task.labels()) {
      words.add(label.toLowerCase(Locale.ROOT).replace('_', ' ').replace('-', ' '));
    }
    this.labelWords = List.copyOf(words);
  }

  public static List<String> defaultTemplates(TaskSpec task) {
    List<String> out = new ArrayList<>(GENERIC);
    if (DomainWords.isEmail(task)) {
      out.addAll(EMAIL);
    }
    return List.copyOf(out);
  }

  private static void validate(String template) {
    if (template == null || template.isBlank()) {
      throw new ConfigException("prompt template: expected text with {label}, found a blank template");
    }
    Matcher m = PLACEHOLDER.matcher(template);
    boolean hasLabel = false;
    while (m.find()) {
      String name = m.group(1);
      if (name.equals("label")) {
        hasLabel = true;
      } else if (!name.equals("domain")) {
        throw new ConfigException("prompt template \"" + oneLine(template)
            + "\": unknown placeholder {" + name + "} (expected {label} or {domain})");
      }
    }
    if (!hasLabel) {
      throw new ConfigException(
          "prompt template \"" + oneLine(template) + "\": expected a {label} placeholder, found none");
    }
  }

  private static String oneLine(String s) {
    return s.replace("\n", "\\n");
  }

  public List<String> templates() {
    return templates;
  }

  public List<String> domains() {
    return domains;
  }

  /** The prompt of template {@code t}, label {@code label}, domain {@code d}. */
  public Prompt prompt(int t, int label, int d) {
    String text = templates.get(t)
        .replace("{label}", labelWords.get(label))
        .replace("{domain}", domains.get(d));
    text = ARTICLE.matcher(text).replaceAll("$1n ");
    return new Prompt("t" + t + "/l" + label + "/d" + d, text, label);
  }

  @Override
  public List<Prompt> next(int n, SplittableRandom rng) {
    int labels = task.numLabels();
    int start = rng.nextInt(labels);
    List<Prompt> out = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      int t = rng.nextInt(templates.size());
      int d = rng.nextInt(domains.size());
      out.add(prompt(t, (start + i) % labels, d));
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
    node.put("kind", "templates");
    ArrayNode t = node.putArray("templates");
    templates.forEach(t::add);
    ArrayNode d = node.putArray("domains");
    domains.forEach(d::add);
    return node;
  }
}
