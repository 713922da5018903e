package io.distillery.synth.pipeline;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.distillery.runtime.session.SessionConfig;
import io.distillery.runtime.session.SessionFactory;
import io.distillery.synth.corpus.CorpusReader;
import io.distillery.synth.corpus.CorpusRecord;
import io.distillery.synth.corpus.Manifest;
import io.distillery.synth.filter.FilterConfig;
import io.distillery.synth.prompt.TemplatePrompts;
import io.distillery.synth.source.CausalLmGenerator;
import io.distillery.synth.source.GenerationSettings;
import io.distillery.synth.source.GeneratorSource;
import io.distillery.synth.task.TaskSpec;
import io.distillery.synth.testing.TinyGenerator;
import io.distillery.synth.testing.TinyTeacher;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The whole chain with a real (tiny, random) generator: prompts → generator → filters → teacher. */
class GeneratorSynthesisTest {
  static final TaskSpec TASK = new TaskSpec(List.of("negative", "positive"), "Sentiment of movie reviews");
  @TempDir Path dir;

  private static SynthConfig config() {
    // the random generator writes noise: keep only the length bounds that noise can meet
    FilterConfig loose = new FilterConfig(2, 200, 1, 60, 0, 0, true, true, 3, 0.8, 10_000);
    return SynthConfig.defaults(TASK, 50).withShardSize(20).withBatchSize(8).withSeed(3)
        .withFilters(loose)
        .withGeneration(new GenerationSettings(32, 1.0, 0, 1.0, List.of(), 8, 80));
  }

  @Test
  void generatedCorpusResumesExactly() throws Exception {
    Synthesizer synth = new Synthesizer(new PrintStream(new ByteArrayOutputStream(), true,
        StandardCharsets.UTF_8), 5.0);
    try (CausalLmGenerator gen = CausalLmGenerator.open(TinyGenerator.folder(), new SessionFactory(),
        SessionConfig.cpu())) {
      Path whole = dir.resolve("whole");
      synth.synthesize(config(), new GeneratorSource(new TemplatePrompts(TASK), gen,
          config().generation()), TinyTeacher.model(), whole);
      Path parts = dir.resolve("parts");
      SynthSummary first = synth.synthesize(config().withMaxShards(1),
          new GeneratorSource(new TemplatePrompts(TASK), gen, config().generation()), TinyTeacher.model(), parts);
      assertFalse(first.complete());
      SynthSummary rest = synth.synthesize(config(),
          new GeneratorSource(new TemplatePrompts(TASK), gen, config().generation()), TinyTeacher.model(), parts);
      assertTrue(rest.complete());
      assertEquals(50, rest.samples());
      for (String f : List.of("shard-00000.jsonl", "shard-00001.jsonl", "shard-00002.jsonl", Manifest.FILE)) {
        assertArrayEquals(Files.readAllBytes(whole.resolve(f)), Files.readAllBytes(parts.resolve(f)), f);
      }
      Manifest m = CorpusReader.verify(parts);
      assertEquals("generator", m.provenance().path("source").path("kind").asText());
      assertEquals("causal_lm", m.provenance().path("source").path("generator").path("kind").asText());
      try (CorpusReader r = CorpusReader.open(parts)) {
        CorpusRecord rec = r.next();
        assertTrue(rec.prompt().contains("negative") || rec.prompt().contains("positive"), rec.prompt());
        assertTrue(rec.intendedLabel() == 0 || rec.intendedLabel() == 1);
        assertTrue(rec.genLogProb() < 0, "a sampled text has a log-probability");
      }
    }
  }

  /** Drawing the next batch while the teacher labels this one writes the same bytes. */
  @Test
  void drawingAheadWritesTheSameCorpusBytes() throws Exception {
    SynthConfig config = config().withTargetSamples(80).withShardSize(40);
    try (CausalLmGenerator gen = CausalLmGenerator.open(TinyGenerator.folder(), new SessionFactory(),
        SessionConfig.cpu())) {
      PrintStream quiet = new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8);
      Path inLine = dir.resolve("in-line");
      Synthesizer sequential = new Synthesizer(quiet, 5.0, new SynthClock(), false);
      sequential.synthesize(config, new GeneratorSource(new TemplatePrompts(TASK), gen,
          config.generation()), TinyTeacher.model(), inLine);
      assertEquals(0, sequential.batchesDrawnAhead());
      Path ahead = dir.resolve("ahead");
      Synthesizer overlapped = new Synthesizer(quiet, 5.0, new SynthClock(), true);
      SynthSummary s = overlapped.synthesize(config, new GeneratorSource(new TemplatePrompts(TASK),
          gen, config.generation()), TinyTeacher.model(), ahead);
      assertEquals(80, s.samples());
      assertTrue(overlapped.batchesDrawnAhead() >= 4, "drawn ahead: " + overlapped.batchesDrawnAhead());
      for (String f : List.of("shard-00000.jsonl", "shard-00001.jsonl", Manifest.FILE)) {
        assertArrayEquals(Files.readAllBytes(inLine.resolve(f)), Files.readAllBytes(ahead.resolve(f)), f);
      }
    }
  }
}
