package io.distillery.cli.pipeline;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.distillery.core.AtomicFiles;
import io.distillery.core.Json;
import io.distillery.export.check.OnnxChecker;
import io.distillery.export.student.StudentExporter;
import io.distillery.export.student.StudentWeights;
import io.distillery.runtime.bench.BenchReportFiles;
import io.distillery.runtime.bench.ModelBench;
import io.distillery.runtime.model.ModelFolder;
import io.distillery.synth.corpus.Manifest;
import io.distillery.train.student.StudentConfig;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The exported student's folder, laid out like the teacher's (Hugging Face style): model.onnx,
 * tokenizer.json (the teacher's: the student shares its vocabulary), config.json with id2label,
 * and README.md, a model card saying how it was made and, after the bench, its measured numbers.
 */
final class StudentFolder {
  private static final String BENCH_HEADING = "\n## Measured (distillery bench, one run)\n\n";

  private StudentFolder() {}

  /**
   * Writes model.onnx (checked with the ONNX checker when it is installed), config.json and the
   * teacher's tokenizer.json into {@code dir}.
   */
  static void write(Path dir, StudentWeights weights, Map<String, String> metadata,
      List<String> labels, StudentConfig student, ModelFolder teacher, String teacherSha) {
    try {
      Files.createDirectories(dir);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    StudentExporter.export(weights, metadata, dir.resolve(ModelFolder.MODEL_FILE));
    if (OnnxChecker.isAvailable()) {
      OnnxChecker.check(dir.resolve(ModelFolder.MODEL_FILE));
    }
    writeConfig(dir, labels, student, teacher, teacherSha);
  }

  private static void writeConfig(Path dir, List<String> labels, StudentConfig student,
      ModelFolder teacher, String teacherSha) {
    ObjectNode root = Json.MAPPER.createObjectNode();
    root.put("model_type", "distillery-student");
    ObjectNode id2label = root.putObject("id2label");
    ObjectNode label2id = root.putObject("label2id");
    for (int i = 0; i < labels.size(); i++) {
      id2label.put(String.valueOf(i), labels.get(i));
      label2id.put(labels.get(i), i);
    }
    root.put("num_labels", labels.size());
    root.put("num_hidden_layers", student.layers());
    root.put("hidden_size", student.width());
    root.put("num_attention_heads", student.heads());
    root.put("intermediate_size", student.ffnWidth());
    root.put("embedding_size", student.embeddingDim());
    root.put("max_position_embeddings", student.maxLength());
    root.put("vocab_size", student.vocabSize());
    ObjectNode d = root.putObject("distillery");
    d.put("kind", "student");
    d.put("teacher", teacher.dir().toString());
    d.put("teacher_sha256", teacherSha);
    try {
      AtomicFiles.writeString(dir.resolve(ModelFolder.CONFIG_FILE),
          Json.MAPPER.writeValueAsString(root) + "\n");
      Files.copy(teacher.tokenizer(), dir.resolve(ModelFolder.TOKENIZER_FILE),
          StandardCopyOption.REPLACE_EXISTING);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The model card without measurements: task, teacher, corpus, student shape, training. */
  static void writeCard(Path dir, Manifest corpus, Path teacher, StudentConfig student,
      DistillSummary result) {
    JsonNode source = corpus.provenance().path("source");
    String sourceName = source.path("file").asText(source.path("generator").path("folder").asText("?"));
    StringBuilder sb = new StringBuilder();
    sb.append("# Distillery student\n\n");
    sb.append(String.format(Locale.ROOT, "Task: %s Labels: %s.%n%n",
        corpus.task().description(), corpus.task().labels()));
    sb.append("## How it was made\n\n");
    sb.append(String.format(Locale.ROOT,
        "- Teacher: `%s` (frozen; its soft labels are the only supervision).%n", teacher));
    sb.append(String.format(Locale.ROOT, "- Corpus: %d synthetic samples from the %s source (%s), "
        + "seed %d, labelled by the teacher.%n", result.corpusSamples(),
        source.path("kind").asText("?"), sourceName, corpus.settings().path("seed").asLong()));
    sb.append(String.format(Locale.ROOT, "- Student: %d layers, width %d, %d heads, FFN %d, "
        + "factorised embeddings E=%d over the teacher's %d-token vocabulary.%n", student.layers(),
        student.width(), student.heads(), student.ffnWidth(), student.embeddingDim(),
        student.vocabSize()));
    sb.append(String.format(Locale.ROOT, "- Distillation: %d steps, best epoch %d, %.0f s of "
        + "training (%.0f tokens/s)%s.%n", result.steps(), result.bestEpoch(), result.trainSeconds(),
        result.tokensPerSecond(), Double.isNaN(result.bestDevAccuracy()) ? ""
            : String.format(Locale.ROOT, ", dev accuracy %.4f", result.bestDevAccuracy())));
    AtomicFiles.writeString(dir.resolve("README.md"), sb.toString());
  }

  /** Adds (or replaces) the card's measured section with a bench report. */
  static void writeBench(Path dir, ModelBench.Report bench) {
    Path card = dir.resolve("README.md");
    String text = new String(AtomicFiles.readBytes(card), StandardCharsets.UTF_8);
    int at = text.indexOf(BENCH_HEADING);
    String base = at < 0 ? text : text.substring(0, at);
    AtomicFiles.writeString(card, base + BENCH_HEADING + BenchReportFiles.markdown(bench));
  }
}
