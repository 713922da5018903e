package io.distillery.synth.prompt;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.distillery.core.ConfigException;
import io.distillery.synth.task.TaskSpec;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class TemplatePromptsTest {
  private static final TaskSpec SENTIMENT = new TaskSpec(List.of("negative", "positive"),
      "Sentiment of movie, product and restaurant review sentences");
  private static final TaskSpec SPAM = new TaskSpec(List.of("ham", "spam"),
      "Classify emails as spam or ham (legitimate mail)");

  @Test
  void domainPhrasesComeFromTheDescription() {
    assertEquals(List.of("movie review", "product review", "restaurant review", "review"),
        DomainWords.of(SENTIMENT));
    assertEquals(List.of("email"), DomainWords.of(SPAM));
    assertEquals(List.of("text"), DomainWords.of(new TaskSpec(List.of("a", "b"), "Classify the text")));
  }

  @Test
  void fillsTemplatesWithLabelAndDomain() {
    TemplatePrompts p = new TemplatePrompts(SENTIMENT);
    Prompt prompt = p.prompt(0, 0, 0);
    assertEquals("A negative movie review:", prompt.text());
    assertEquals(0, prompt.intendedLabel());
    assertEquals("t0/l0/d0", prompt.id());
    TemplatePrompts custom = new TemplatePrompts(
        new TaskSpec(List.of("ANGRY_TONE", "calm"), "Tone of customer emails"),
        List.of("A {label} {domain}:"));
    assertEquals("An angry tone customer email:", custom.prompt(0, 0, 0).text());
  }

  @Test
  void emailTasksGetSubjectOpenings() {
    TemplatePrompts p = new TemplatePrompts(SPAM);
    assertTrue(p.templates().size() > TemplatePrompts.GENERIC.size());
    assertTrue(p.templates().stream().anyMatch(t -> t.contains("Subject:")));
    assertTrue(new TemplatePrompts(SENTIMENT).templates().stream().noneMatch(t -> t.contains("Subject:")));
  }

  @Test
  void intendedLabelsAreBalancedAndDrawsAreSeeded() {
    TemplatePrompts p = new TemplatePrompts(SENTIMENT);
    List<Prompt> a = p.next(100, new SplittableRandom(3));
    List<Prompt> b = p.next(100, new SplittableRandom(3));
    assertEquals(a, b);
    assertEquals(50, a.stream().filter(x -> x.intendedLabel() == 1).count());
    assertTrue(a.stream().map(Prompt::text).distinct().count() > 10, "templates and domains vary");
    assertTrue(a.stream().allMatch(x -> x.text().contains(x.intendedLabel() == 1 ? "positive" : "negative")));
  }

  @Test
  void rejectsBadTemplates() {
    ConfigException noLabel = assertThrows(ConfigException.class,
        () -> new TemplatePrompts(SENTIMENT, List.of("A {domain}:")));
    assertTrue(noLabel.getMessage().contains("{label}"), noLabel.getMessage());
    ConfigException unknown = assertThrows(ConfigException.class,
        () -> new TemplatePrompts(SENTIMENT, List.of("A {label} {topic}:")));
    assertTrue(unknown.getMessage().contains("{topic}"), unknown.getMessage());
    assertThrows(ConfigException.class, () -> new TemplatePrompts(SENTIMENT, List.of()));
  }
}
