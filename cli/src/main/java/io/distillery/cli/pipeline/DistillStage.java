package io.distillery.cli.pipeline;

import io.distillery.core.BadInputException;
import io.distillery.core.ConfigException;
import io.distillery.core.Sha256;
import io.distillery.runtime.eval.Evaluator;
import io.distillery.runtime.model.LabelMap;
import io.distillery.runtime.model.ModelFolder;
import io.distillery.runtime.text.TextTokenizer;
import io.distillery.synth.corpus.CorpusReader;
import io.distillery.synth.corpus.Manifest;
import io.distillery.train.distill.DistillConfig;
import io.distillery.train.distill.DistillExample;
import io.distillery.train.distill.DistillResult;
import io.distillery.train.distill.Distiller;
import io.distillery.train.loss.KdLoss;
import io.distillery.train.student.StudentConfig;
import io.distillery.train.student.TokenizerVocabulary;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The distill stage, shared by {@code distillery run} and {@code distillery distill}: a complete
 * corpus (shard checksums verified as they are read) → a DJL student distilled on the teacher's
 * soft labels → ONNX export into a Hugging Face style folder ({@link StudentFolder}: model.onnx,
 * tokenizer.json, config.json with id2label, model card). Resumable: the {@link Distiller}
 * continues from the checkpoint in {@code work} and refuses one from another run.
 *
 * @param corpus a complete corpus folder written by the synth stage
 * @param teacher the teacher folder that labelled the corpus (the student shares its tokenizer)
 * @param student student shape overrides; null fields take the default student
 * @param settings distillation overrides; null fields take the defaults
 * @param seed seeds weight init, dropout and shuffling
 * @param dev real labelled JSON Lines (text, label) for model selection and early stop, or null:
 *     then (data-free) a seeded {@code settings.holdout} share of the synthetic corpus, with the
 *     teacher's argmax as the label, serves for selection, and no real text is read
 * @param out the student folder to write
 * @param work the distiller's checkpoint folder
 */
public record DistillStage(Path corpus, Path teacher, RunConfig.Student student,
    RunConfig.Distill settings, long seed, Path dev, Path out, Path work) {
  /** Share of a synthetic corpus held out for selection when no dev set is given. */
  public static final double DEFAULT_HOLDOUT = 0.1;

  /** Distils, exports and writes the model card; progress goes to {@code log}. */
  public DistillSummary run(PrintStream log) {
    Manifest manifest = Manifest.read(corpus);
    if (!manifest.complete()) {
      throw BadInputException.of(corpus.resolve(Manifest.FILE), "the corpus is incomplete ("
          + manifest.samples() + " of " + manifest.targetSamples() + " samples); rerun the synth "
          + "that made it to finish it");
    }
    ModelFolder teacherFolder = ModelFolder.of(teacher);
    List<String> labels = manifest.task().labels();
    String teacherSha = checkTeacher(manifest, teacherFolder);
    List<DistillExample> train = readCorpus();
    Optional<List<DistillExample>> devSet = Optional.ofNullable(dev).map(d -> readDev(d, labels));
    if (dev == null) {
      double share = settings.holdout() != null ? settings.holdout() : DEFAULT_HOLDOUT;
      SyntheticHoldout split = SyntheticHoldout.split(train, share, seed);
      train = split.train();
      devSet = split.heldOut();
      log.printf(java.util.Locale.ROOT, "[distill] no real dev set: %s%n", split.describe());
    }
    try (TextTokenizer tokenizer = TextTokenizer.load(teacherFolder.tokenizer())) {
      StudentConfig sc = studentConfig(tokenizer, labels.size());
      DistillConfig dc = distillConfig(teacherFolder.model());
      Integer threads = settings.threads();
      Distiller distiller = threads == null ? new Distiller(log) : new Distiller(log, threads);
      DistillResult r = distiller.distill(train, devSet, tokenizer, sc, dc, work);
      StudentFolder.write(out, r.weights(), metadata(manifest, teacherSha, sc, dc), labels, sc,
          teacherFolder, teacherSha);
      DistillSummary summary = DistillSummary.of(r, train.size());
      StudentFolder.writeCard(out, manifest, teacher, sc, summary);
      return summary;
    }
  }

  /**
   * The teacher must be the one that labelled the corpus: same id2label as the corpus labels and,
   * when the manifest records it, the same model.onnx.
   *
   * @return the teacher model's SHA-256
   */
  private String checkTeacher(Manifest manifest, ModelFolder folder) {
    List<String> labels = manifest.task().labels();
    List<String> names = folder.config().flatMap(LabelMap::read)
        .orElse(LabelMap.defaults(labels.size())).names();
    if (!names.equals(labels)) {
      throw new ConfigException(folder.config().orElse(folder.model()) + ": the teacher's id2label"
          + " is " + names + " but the corpus labels (" + corpus.resolve(Manifest.FILE) + ") are "
          + labels + "; pass the teacher that labelled the corpus");
    }
    String sha = Sha256.of(folder.model());
    String labelledBy = manifest.provenance().path("teacher").path("model_sha256").asText("");
    if (!labelledBy.isEmpty() && !labelledBy.equalsIgnoreCase(sha)) {
      throw BadInputException.of(folder.model(), "sha256 " + sha + " is not the model that "
          + "labelled the corpus (" + corpus.resolve(Manifest.FILE) + " says " + labelledBy
          + "); pass the teacher that labelled the corpus");
    }
    return sha;
  }

  /** The corpus as distillation examples (text + teacher logits), checksums verified. */
  private List<DistillExample> readCorpus() {
    List<DistillExample> examples = new ArrayList<>();
    try (CorpusReader reader = CorpusReader.open(corpus)) {
      reader.forEachRemaining(r -> examples.add(DistillExample.ofTeacher(r.text(), r.logits())));
    }
    if (examples.isEmpty()) {
      throw BadInputException.of(corpus, "empty corpus (no samples in its shards)");
    }
    return examples;
  }

  private static List<DistillExample> readDev(Path file, List<String> labels) {
    Evaluator.LabelledData d = Evaluator.read(file, "text", "label", new LabelMap(labels));
    List<DistillExample> examples = new ArrayList<>();
    for (int i = 0; i < d.texts().size(); i++) {
      examples.add(DistillExample.ofGold(d.texts().get(i), d.gold()[i]));
    }
    return examples;
  }

  /** The default student for the teacher's vocabulary, with this stage's overrides. */
  private StudentConfig studentConfig(TextTokenizer tokenizer, int numLabels) {
    StudentConfig d = StudentConfig.defaults(TokenizerVocabulary.size(tokenizer.path()), numLabels);
    RunConfig.Student s = student;
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

  /** The default distillation with this stage's seed and overrides. */
  private DistillConfig distillConfig(Path teacherOnnx) {
    DistillConfig d = DistillConfig.defaults().withSeed(seed);
    RunConfig.Distill s = settings;
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
    // teacher has a BERT-style fp32 word-embedding table (an int8 export has none); the
    // distiller reads the table once and falls back to scratch when it is absent.
    if (Boolean.TRUE.equals(s.teacherEmbeddings())) {
      d = d.withTeacherEmbeddings(teacherOnnx);
    } else if (s.teacherEmbeddings() == null) {
      d = d.withTeacherEmbeddingsIfPresent(teacherOnnx);
    }
    return d;
  }

  /** Provenance for the ONNX metadata_props. */
  private Map<String, String> metadata(Manifest manifest, String teacherSha, StudentConfig sc,
      DistillConfig dc) {
    Map<String, String> meta = new LinkedHashMap<>();
    meta.put("distillery.kind", "student");
    meta.put("distillery.teacher", teacher.toString());
    meta.put("distillery.teacher_sha256", teacherSha);
    meta.put("distillery.source", manifest.provenance().path("source").toString());
    meta.put("distillery.seed", String.valueOf(seed));
    meta.put("distillery.student", sc.toString());
    meta.put("distillery.distill", dc.toString());
    meta.put("distillery.git", gitSha());
    return meta;
  }

  /** The checkout's commit, for provenance ("unknown" outside a git checkout). */
  private static String gitSha() {
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
