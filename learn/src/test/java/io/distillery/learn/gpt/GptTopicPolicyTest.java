package io.distillery.learn.gpt;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.distillery.learn.policy.PolicyStats;
import io.distillery.learn.policy.TopicAction;
import io.distillery.runtime.testing.TinyLmFolder;
import io.distillery.synth.task.TaskSpec;
import io.distillery.train.gpt.TorchThreads;
import java.nio.file.Path;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class GptTopicPolicyTest {
  static final TaskSpec TASK = new TaskSpec(List.of("negative", "positive"), "Movie reviews");
  @TempDir static Path dir;
  static Path generator;

  @BeforeAll
  static void folder() {
    TorchThreads.configure(1, 1);
    generator = TinyLmFolder.write(dir.resolve("gen"), 128, 3);
  }

  @Test
  void topicsAreShortSeededAndCreditedWithTheirLogProb() {
    int[] labels = {0, 1, 0, 1, 1};
    try (GptTopicPolicy a = GptTopicPolicy.open(generator, TASK, GptPolicySettings.defaults());
        GptTopicPolicy b = GptTopicPolicy.open(generator, TASK, GptPolicySettings.defaults())) {
      List<TopicAction> x = a.sample(labels, new SplittableRandom(4));
      List<TopicAction> y = b.sample(labels, new SplittableRandom(4));
      assertEquals(labels.length, x.size());
      for (int i = 0; i < labels.length; i++) {
        TopicAction t = x.get(i);
        GptTopicPolicy.Choice c = (GptTopicPolicy.Choice) t.payload();
        assertEquals(labels[i], t.label());
        assertEquals(t.topic(), y.get(i).topic());
        assertTrue(c.tokens().length >= 1 && c.tokens().length <= 8, "tokens " + c.tokens().length);
        assertFalse(t.topic().contains("\n"));
        float[] lp = a.policy().tokenLogProbs(List.of(c.prefix()), List.of(c.tokens()))[0];
        double sum = 0;
        for (float v : lp) {
          sum += v;
        }
        assertEquals(sum, t.logProb(), 1e-3);
      }
      PolicyStats s = a.update(x, new double[] {1, -1, 0.5, -0.5, 0});
      assertTrue(s.entropy() > 0, "entropy " + s.entropy());
      assertTrue(a.top(0, 3).size() <= 3 && !a.top(0, 3).isEmpty());
      assertEquals("gpt", a.describe().get("kind").asText());
      assertEquals(1, a.describe().get("updates").asInt());
    }
  }

  @Test
  void topicIsCutAtALineBreakOrSentenceEnd() {
    assertEquals("The acting was", GptTopicPolicy.topicText(" The acting was\nbad"));
    assertEquals("The plot.", GptTopicPolicy.topicText(" The plot. It was"));
    assertTrue(GptTopicPolicy.ended(" The plot."));
    assertFalse(GptTopicPolicy.ended(" . The plot"));
    assertFalse(GptTopicPolicy.ended(" The plot"));
  }
}
