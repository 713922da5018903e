package io.distillery.learn.select;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.distillery.core.Json;
import io.distillery.learn.probe.StudentProbe;
import io.distillery.learn.reward.Reward;
import io.distillery.learn.reward.RewardWeights;
import io.distillery.runtime.classify.ClassifierModel;
import io.distillery.synth.corpus.CorpusReader;
import io.distillery.synth.filter.FilterConfig;
import io.distillery.synth.filter.Filters;
import io.distillery.synth.pipeline.SynthConfig;
import io.distillery.synth.pipeline.SynthSummary;
import io.distillery.synth.pipeline.Synthesizer;
import io.distillery.synth.source.RawCorpusSource;
import io.distillery.synth.task.TaskSpec;
import io.distillery.synth.testing.Sentences;
import io.distillery.synth.testing.TinyTeacher;
import io.distillery.train.distill.DistillConfig;
import io.distillery.train.student.StudentConfig;
import io.distillery.train.student.TokenizerVocabulary;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Student-guided selection inside a real synthesis: resumable, and it skips filtered units. */
class StudentGuidedSourceTest {
  static final TaskSpec TASK = new TaskSpec(List.of("negative", "positive"), "Sentiment of reviews");
  static final PrintStream QUIET =
      new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8);
  @TempDir Path dir;

  private static SynthConfig config() {
    return SynthConfig.defaults(TASK, 60).withShardSize(20).withBatchSize(8).withSeed(5)
        .withRebalance(true);
  }

  private SynthSummary synth(SynthConfig c, Path corpusFile, Path out) {
    ClassifierModel teacher = TinyTeacher.model();
    StudentConfig student = new StudentConfig(1, 16, 2, 32, 64,
        TokenizerVocabulary.size(teacher.tokenizer().path()), 2, 8, 0.0);
    Path learn = out.resolveSibling(out.getFileName() + "-learn");
    StudentProbe probe = new StudentProbe(teacher.tokenizer(), student,
        DistillConfig.defaults().withSteps(3).withSeed(2), learn.resolve("probe-work"), QUIET, 1);
    Filters screen = new Filters(c.filters());
    try (StudentGuidedSource source = new StudentGuidedSource(
        RawCorpusSource.open(corpusFile, RawCorpusSource.Unit.LINE), teacher.classifier(), 150, 2,
        new Reward(RewardWeights.defaults()), probe, t -> screen.screen(t).passed(), learn, QUIET)) {
      return new Synthesizer(QUIET, 5.0).synthesize(c, source, teacher, out);
    }
  }

  @Test
  void aKilledSelectionResumesToTheSameCorpusAndNeverOffersFilteredUnits() throws Exception {
    List<String> lines = new ArrayList<>(Sentences.distinct(200, 4));
    for (int i = 0; i < 40; i++) {
      lines.add("too short " + i); // fails the default length filter (16 chars, 4 words)
    }
    Path corpus = Sentences.write(dir.resolve("corpus.txt"), lines);
    Path whole = dir.resolve("whole");
    assertTrue(synth(config(), corpus, whole).complete());
    Path parts = dir.resolve("parts");
    assertFalse(synth(config().withMaxShards(1), corpus, parts).complete());
    assertTrue(synth(config(), corpus, parts).complete());
    for (String f : List.of("shard-00000.jsonl", "shard-00001.jsonl", "shard-00002.jsonl")) {
      assertArrayEquals(Files.readAllBytes(whole.resolve(f)), Files.readAllBytes(parts.resolve(f)), f);
    }
    try (CorpusReader r = CorpusReader.open(whole)) {
      while (r.hasNext()) {
        assertFalse(r.next().text().startsWith("too short"));
      }
    }
    assertEquals(0, CorpusReader.verify(whole).rejections().asMap().get("too_short"),
        "filtered units are never offered");
    List<String> rounds = Files.readAllLines(dir.resolve("whole-learn/rounds.jsonl"));
    assertEquals(3, rounds.size());
    JsonNode last = Json.MAPPER.readTree(rounds.get(2));
    assertTrue(last.path("pool_mean_disagreement").asDouble() > 0, rounds.get(2));
  }
}
