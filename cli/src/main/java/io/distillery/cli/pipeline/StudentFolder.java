package io.distillery.cli.pipeline;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.distillery.core.AtomicFiles;
import io.distillery.core.Json;
import io.distillery.runtime.bench.BenchReportFiles;
import io.distillery.runtime.bench.ModelBench;
import io.distillery.train.distill.DistillResult;
import io.distillery.train.student.StudentConfig;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Locale;

/**
 * The exported student's folder, laid out like the teacher's (Hugging Face style): model.onnx,
 * tokenizer.json (the teacher's: the student shares its vocabulary), config.json with id2label,
 * and README.md, a model card saying how it was made and, after the bench, its measured numbers.
 */
final class StudentFolder {
  private StudentFolder() {}

  static void writeConfig(Path dir, List<String> labels, StudentConfig student, Path teacher,
      String teacherSha) {
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
    d.put("teacher", teacher.toString());
    d.put("teacher_sha256", teacherSha);
    try {
      AtomicFiles.writeString(dir.resolve("config.json"), Json.MAPPER.writeValueAsString(root) + "\n");
      Files.copy(teacher.resolve("tokenizer.json"), dir.resolve("tokenizer.json"),
          StandardCopyOption.REPLACE_EXISTING);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** What the card needs of a distillation run (kept in the run's stages.json across resumes). */
  record DistillSummary(int steps, int bestEpoch, double bestDevAccuracy, double trainSeconds,
      double tokensPerSecond, long corpusSamples) {
    static DistillSummary of(DistillResult r, long corpusSamples) {
      return new DistillSummary(r.steps(), r.bestEpoch(), r.bestDevAccuracy(), r.trainSeconds(),
          r.tokensPerSecond(), corpusSamples);
    }
  }

  static void writeCard(Path dir, RunConfig config, StudentConfig student, DistillSummary result,
      ModelBench.Report bench) {
    long corpusSamples = result.corpusSamples();
    StringBuilder sb = new StringBuilder();
    sb.append("# Distillery student\n\n");
    sb.append(String.format(Locale.ROOT, "Task: %s Labels: %s.%n%n",
        config.task().description(), config.task().labels()));
    sb.append("## How it was made\n\n");
    sb.append(String.format(Locale.ROOT,
        "- Teacher: `%s` (frozen; its soft labels are the only supervision).%n", config.teacher()));
    sb.append(String.format(Locale.ROOT, "- Corpus: %d synthetic samples from the %s source (%s), "
        + "seed %d, labelled by the teacher.%n", corpusSamples, config.source().kind(),
        config.source().kind() == RunConfig.SourceKind.generator
            ? config.source().generator() : config.source().corpus(), config.seed()));
    sb.append(String.format(Locale.ROOT, "- Student: %d layers, width %d, %d heads, FFN %d, "
        + "factorised embeddings E=%d over the teacher's %d-token vocabulary.%n", student.layers(),
        student.width(), student.heads(), student.ffnWidth(), student.embeddingDim(),
        student.vocabSize()));
    sb.append(String.format(Locale.ROOT, "- Distillation: %d steps, best epoch %d, %.0f s of "
        + "training (%.0f tokens/s)%s.%n", result.steps(), result.bestEpoch(), result.trainSeconds(),
        result.tokensPerSecond(), Double.isNaN(result.bestDevAccuracy()) ? ""
            : String.format(Locale.ROOT, ", dev accuracy %.4f", result.bestDevAccuracy())));
    if (bench != null) {
      sb.append("\n## Measured (distillery bench, one run)\n\n");
      sb.append(BenchReportFiles.markdown(bench));
    }
    AtomicFiles.writeString(dir.resolve("README.md"), sb.toString());
  }
}
