package io.distillery.cli.pipeline;

import com.fasterxml.jackson.databind.JsonNode;
import io.distillery.core.BadInputException;
import io.distillery.core.Json;
import io.distillery.core.Sha256;
import io.distillery.runtime.session.SessionConfig;
import io.distillery.runtime.session.SessionFactory;
import io.distillery.runtime.text.TextTokenizer;
import io.distillery.synth.filter.FilterConfig;
import io.distillery.synth.pipeline.SynthConfig;
import io.distillery.synth.prompt.TemplatePrompts;
import io.distillery.synth.source.CausalLmGenerator;
import io.distillery.synth.source.GenerationSettings;
import io.distillery.synth.source.GeneratorSource;
import io.distillery.synth.source.RawCorpusSource;
import io.distillery.synth.source.TextSource;
import io.distillery.synth.task.TaskSpec;
import io.distillery.train.distill.DistillConfig;
import io.distillery.train.loss.KdLoss;
import io.distillery.train.student.StudentConfig;
import io.distillery.train.student.TeacherEmbeddings;
import io.distillery.train.student.TokenizerVocabulary;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/** Turns a {@link RunConfig} into each stage's own validated config record. */
final class RunStages {
  private RunStages() {}

  static TaskSpec task(RunConfig c) {
    return new TaskSpec(c.task().labels(), c.task().description());
  }

  static SynthConfig synthConfig(RunConfig c) {
    RunConfig.Synth s = c.synth();
    GenerationSettings g = GenerationSettings.defaults();
    g = new GenerationSettings(
        s.maxNewTokens() != null ? s.maxNewTokens() : g.maxNewTokens(),
        s.temperature() != null ? s.temperature() : g.temperature(), g.topK(),
        s.topP() != null ? s.topP() : g.topP(), g.stop(), g.cutMinChars(), g.cutMaxChars());
    FilterConfig f = FilterConfig.defaults();
    if (s.maxChars() != null || s.maxWords() != null) {
      f = f.withLength(f.minChars(), s.maxChars() != null ? s.maxChars() : f.maxChars(),
          f.minWords(), s.maxWords() != null ? s.maxWords() : f.maxWords());
    }
    SynthConfig base = SynthConfig.defaults(task(c), s.samples() != null ? s.samples() : 4000)
        .withSeed(c.seed()).withFilters(f).withGeneration(g);
    if (s.shardSize() != null) {
      base = base.withShardSize(s.shardSize());
    }
    if (s.batchSize() != null) {
      base = base.withBatchSize(s.batchSize());
    }
    if (s.rebalance() != null) {
      base = base.withRebalance(s.rebalance());
    }
    if (s.maxShards() != null) {
      base = base.withMaxShards(s.maxShards());
    }
    return base;
  }

  /** A text source and whatever native model it holds open. */
  record OpenSource(TextSource source, AutoCloseable owned) implements AutoCloseable {
    @Override
    public void close() {
      if (owned != null) {
        try {
          owned.close();
        } catch (Exception e) {
          throw new IllegalStateException("closing the generator failed", e);
        }
      }
    }
  }

  static OpenSource openSource(RunConfig c, SessionFactory sessions) {
    if (c.source().kind() == RunConfig.SourceKind.raw_corpus) {
      return new OpenSource(
          RawCorpusSource.open(c.source().corpus(), c.source().unit() == RunConfig.Unit.line
              ? RawCorpusSource.Unit.LINE : RawCorpusSource.Unit.SENTENCE), null);
    }
    CausalLmGenerator generator =
        CausalLmGenerator.open(c.source().generator(), sessions, SessionConfig.cpu());
    TextSource source = new GeneratorSource(
        new TemplatePrompts(task(c)), generator, synthConfig(c).generation());
    return new OpenSource(source, generator);
  }

  static StudentConfig studentConfig(RunConfig c, TextTokenizer tokenizer) {
    StudentConfig d = StudentConfig.defaults(TokenizerVocabulary.size(tokenizer.path()), c.task().labels().size());
    RunConfig.Student s = c.student();
    return new StudentConfig(
        s.layers() != null ? s.layers() : d.layers(),
        s.width() != null ? s.width() : d.width(),
        s.heads() != null ? s.heads() : d.heads(),
        s.ffnWidth() != null ? s.ffnWidth() : d.ffnWidth(),
        Math.max(d.maxLength(), tokenizer.maxLength()),
        d.vocabSize(), d.numLabels(),
        s.embeddingDim() != null ? s.embeddingDim() : d.embeddingDim(),
        s.dropout() != null ? s.dropout() : d.dropout());
  }

  static DistillConfig distillConfig(RunConfig c) {
    DistillConfig d = DistillConfig.defaults().withSeed(c.seed());
    RunConfig.Distill s = c.distill();
    if (s.epochs() != null) {
      d = d.withEpochs(s.epochs());
    }
    if (s.batchSize() != null || s.learningRate() != null) {
      d = d.withOptimizer(s.batchSize() != null ? s.batchSize() : d.batchSize(),
          s.learningRate() != null ? s.learningRate() : d.learningRate(), d.weightDecay(),
          d.warmupFraction(), d.decay(), d.gradClip());
    }
    if (s.temperature() != null || s.alpha() != null) {
      d = d.withLoss(KdLoss.kl(s.temperature() != null ? s.temperature() : d.loss().temperature(),
          s.alpha() != null ? s.alpha() : d.loss().alpha()));
    }
    if (s.patience() != null) {
      d = d.withPatience(s.patience());
    }
    if (s.checkpointEvery() != null) {
      d = d.withCheckpointEvery(s.checkpointEvery());
    }
    // Teacher embeddings are the main accuracy lever: on when asked, and by default when the
    // teacher has a BERT-style fp32 word-embedding table (an int8 export has none).
    Path teacherOnnx = c.teacher().resolve("model.onnx");
    if (Boolean.TRUE.equals(s.teacherEmbeddings())
        || (s.teacherEmbeddings() == null && hasWordEmbeddings(teacherOnnx))) {
      d = d.withTeacherEmbeddings(teacherOnnx);
    }
    return d;
  }

  private static boolean hasWordEmbeddings(Path teacherOnnx) {
    try {
      TeacherEmbeddings.read(teacherOnnx);
      return true;
    } catch (BadInputException e) {
      return false;
    }
  }

  /** SHA-256 of the config as parsed (the stages file refuses outputs of another config). */
  static String fingerprint(RunConfig c) {
    try {
      return Sha256.of(Json.LINE_MAPPER.writeValueAsString(identity(c)).getBytes(StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  /** The config as JSON without per-invocation settings: what a run's outputs depend on. */
  static JsonNode identity(RunConfig c) {
    return Json.LINE_MAPPER.valueToTree(new RunConfig(c.task(), c.teacher(), c.source(), c.out(),
        c.seed(), c.synth().identity(), c.student(), c.distill(), c.dev(), c.bench()));
  }

  /** The checkout's commit, for provenance ("unknown" outside a git checkout). */
  static String gitSha() {
    try {
      Process p = new ProcessBuilder("git", "rev-parse", "HEAD").redirectErrorStream(true).start();
      String sha = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
      return p.waitFor() == 0 && sha.matches("[0-9a-f]{40}") ? sha : "unknown";
    } catch (IOException e) {
      return "unknown";
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return "unknown";
    }
  }
}
