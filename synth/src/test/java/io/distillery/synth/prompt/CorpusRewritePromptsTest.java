package io.distillery.synth.prompt;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.distillery.core.ConfigException;
import io.distillery.synth.task.TaskSpec;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class CorpusRewritePromptsTest {
  static final TaskSpec TASK = new TaskSpec(List.of("negative", "positive"), "Movie reviews");
  static final List<String> SENTENCES = List.of("Too short.",
      "The ship sailed  at dawn with the tide.", "A lantern hung from the old oak door.");

  @Test
  void promptIsSentenceLineBreakTemplateWithBalancedLabels() {
    CorpusRewritePrompts p = new CorpusRewritePrompts(TASK,
        new TemplatePrompts(TASK, List.of("A {label} {domain}:")), SENTENCES, 240);
    assertEquals(2, p.size()); // "Too short." is under MIN_CHARS
    List<Prompt> a = p.next(6, new SplittableRandom(1));
    List<Prompt> b = p.next(6, new SplittableRandom(1));
    int[] counts = new int[2];
    for (int i = 0; i < a.size(); i++) {
      Prompt x = a.get(i);
      assertEquals(x, b.get(i));
      counts[x.intendedLabel()]++;
      String[] parts = x.text().split("\n");
      assertEquals(2, parts.length, x.text());
      assertTrue(SENTENCES.contains(parts[0]) || parts[0].equals(
          "The ship sailed at dawn with the tide."), parts[0]);
      assertTrue(parts[1].startsWith("A " + TASK.labels().get(x.intendedLabel())), parts[1]);
      assertEquals("", x.sampleStart());
    }
    assertEquals(3, counts[0]);
    assertEquals(3, counts[1]);
    assertEquals("corpus_rewrite", p.describe().get("kind").asText());
  }

  @Test
  void refusesACorpusWithNoUsableSentence() {
    ConfigException e = assertThrows(ConfigException.class, () -> new CorpusRewritePrompts(TASK,
        new TemplatePrompts(TASK), List.of("tiny"), 240));
    assertTrue(e.getMessage().contains("no sentence"), e.getMessage());
  }
}
