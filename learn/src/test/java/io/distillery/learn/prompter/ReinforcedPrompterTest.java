package io.distillery.learn.prompter;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.distillery.core.Json;
import io.distillery.learn.policy.CategoricalTopicPolicy;
import io.distillery.learn.policy.PolicySettings;
import io.distillery.learn.probe.StudentProbe;
import io.distillery.learn.reward.Reward;
import io.distillery.learn.reward.RewardWeights;
import io.distillery.runtime.classify.ClassifierModel;
import io.distillery.runtime.session.SessionConfig;
import io.distillery.runtime.session.SessionFactory;
import io.distillery.synth.corpus.CorpusReader;
import io.distillery.synth.corpus.CorpusRecord;
import io.distillery.synth.filter.FilterConfig;
import io.distillery.synth.pipeline.SynthConfig;
import io.distillery.synth.pipeline.SynthSummary;
import io.distillery.synth.pipeline.Synthesizer;
import io.distillery.synth.prompt.TemplatePrompts;
import io.distillery.synth.source.CausalLmGenerator;
import io.distillery.synth.source.GenerationSettings;
import io.distillery.synth.source.GeneratorSource;
import io.distillery.synth.task.TaskSpec;
import io.distillery.synth.testing.TinyGenerator;
import io.distillery.synth.testing.TinyTeacher;
import io.distillery.train.distill.DistillConfig;
import io.distillery.train.student.StudentConfig;
import io.distillery.train.student.TokenizerVocabulary;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The categorical topic prompter learning inside a real synthesis (tiny generator and teacher). */
class ReinforcedPrompterTest {
  static final TaskSpec TASK = new TaskSpec(List.of("negative", "positive"), "Sentiment of movie reviews");
  static final List<String> TOPICS = List.of("The film", "The food", "The phone", "The service");
  static final PrintStream QUIET =
      new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8);
  @TempDir Path dir;

  private static SynthConfig config() {
    FilterConfig loose = new FilterConfig(2, 200, 1, 60, 0, 0, true, true, 3, 0.8, 10_000);
    return SynthConfig.defaults(TASK, 48).withShardSize(16).withBatchSize(8).withSeed(3)
        .withFilters(loose).withRebalance(false)
        .withGeneration(new GenerationSettings(24, 1.0, 0, 1.0, List.of(), 8, 80));
  }

  private static ReinforcedPrompter prompter(Path learnDir, ClassifierModel teacher) {
    TemplatePrompts templates = new TemplatePrompts(TASK);
    PolicySettings settings = PolicySettings.categoricalDefaults();
    CategoricalTopicPolicy policy = new CategoricalTopicPolicy(2, templates.templates().size(),
        TOPICS, null, settings);
    StudentConfig student = new StudentConfig(1, 16, 2, 32, 64,
        TokenizerVocabulary.size(teacher.tokenizer().path()), 2, 8, 0.0);
    StudentProbe probe = new StudentProbe(teacher.tokenizer(), student,
        DistillConfig.defaults().withSteps(3).withSeed(9), learnDir.resolve("probe-work"), QUIET, 1);
    return new ReinforcedPrompter(TASK, templates, policy, settings,
        new Reward(RewardWeights.defaults()), probe, learnDir, QUIET);
  }

  private static SynthSummary synth(SynthConfig c, Path out, CausalLmGenerator gen, ClassifierModel teacher) {
    try (ReinforcedPrompter p = prompter(out.resolveSibling(out.getFileName() + "-learn"), teacher)) {
      return new Synthesizer(QUIET, 5.0).synthesize(c, new GeneratorSource(p, gen, c.generation()),
          teacher, out);
    }
  }

  @Test
  void aLearningRunKilledAfterARoundResumesToTheSamePolicy() throws Exception {
    ClassifierModel teacher = TinyTeacher.model();
    try (CausalLmGenerator gen = CausalLmGenerator.open(TinyGenerator.folder(), new SessionFactory(),
        SessionConfig.cpu())) {
      Path whole = dir.resolve("whole");
      assertTrue(synth(config(), whole, gen, teacher).complete());
      Path parts = dir.resolve("parts");
      assertFalse(synth(config().withMaxShards(1), parts, gen, teacher).complete());
      assertTrue(synth(config(), parts, gen, teacher).complete());

      for (String f : List.of("shard-00000.jsonl", "shard-00001.jsonl", "shard-00002.jsonl")) {
        assertArrayEquals(Files.readAllBytes(whole.resolve(f)), Files.readAllBytes(parts.resolve(f)), f);
      }
      Path policyWhole = dir.resolve("whole-learn/state-00003/categorical-policy.json");
      Path policyParts = dir.resolve("parts-learn/state-00003/categorical-policy.json");
      assertEquals(Files.readString(policyWhole), Files.readString(policyParts));
      JsonNode policy = Json.MAPPER.readTree(Files.readString(policyWhole));
      assertNotEquals(0.0, policy.path("topic_logits").path(0).path(0).asDouble(),
          "the policy learnt something");
      assertFalse(Files.exists(dir.resolve("whole-learn/state-00001")), "old states are pruned");

      List<String> rounds = Files.readAllLines(dir.resolve("parts-learn/rounds.jsonl"));
      assertEquals(3, rounds.size());
      JsonNode last = Json.MAPPER.readTree(rounds.get(2));
      assertTrue(last.path("reward").has("disagreement") && last.path("reward").has("novelty"));
      assertTrue(last.path("reward").path("disagreement").asDouble() > 0,
          "the student probe trained after round 1 disagrees with the teacher somewhere");
      // every sample starts with one of the topic openers (PromptDFD: topic prompt + content)
      try (CorpusReader r = CorpusReader.open(parts)) {
        while (r.hasNext()) {
          CorpusRecord rec = r.next();
          String topic = TOPICS.stream().filter(rec.text()::startsWith).findFirst().orElse(null);
          assertTrue(topic != null, rec.text());
          assertTrue(rec.prompt().endsWith(topic), rec.prompt());
        }
      }
    }
  }
}
