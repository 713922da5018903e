package io.distillery.models.teacher;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.distillery.core.AtomicFiles;
import io.distillery.core.Json;
import io.distillery.core.Progress;
import io.distillery.core.Sha256;
import io.distillery.export.check.OnnxChecker;
import io.distillery.export.compose.ClassifierComposer;
import io.distillery.export.graph.OnnxModels;
import io.distillery.export.onnx.OnnxProto.ModelProto;
import io.distillery.models.data.DataLayout;
import io.distillery.models.data.FitData;
import io.distillery.models.data.LabelledText;
import io.distillery.runtime.batch.BatchConfig;
import io.distillery.runtime.classify.EncoderModel;
import io.distillery.runtime.session.SessionConfig;
import io.distillery.runtime.session.SessionFactory;
import io.distillery.train.head.LinearHead;
import io.distillery.train.head.LinearHeadTrainer;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Builds a demo teacher: the MiniLM encoder from its jar, masked-mean-pooled sentence embeddings
 * of the task's train and dev splits, a linear head trained on them with DJL (epoch chosen on
 * dev), and ONE composed ONNX graph (encoder + pooling + head, output {@code logits}) written as
 * a Hugging Face style folder: model.onnx, tokenizer.json, config.json (id2label), README.md.
 * The test split is never read here.
 */
public final class TeacherRecipe {
  /** Texts embedded per call: large enough for length bucketing, small enough for progress. */
  private static final int EMBED_CHUNK = 512;

  private final DataLayout layout;
  private final PrintStream log;

  public TeacherRecipe(DataLayout layout, PrintStream log) {
    this.layout = layout;
    this.log = log;
  }

  /** What a build produced; {@code head} is the trained head (not serialised into reports). */
  public record Result(
      Path folder,
      double trainAccuracy,
      double devAccuracy,
      long seconds,
      @com.fasterxml.jackson.annotation.JsonIgnore LinearHead head) {}

  public Result build(TeacherConfig config, Path outDir) {
    long start = System.nanoTime();
    Path encoderDir = config.encoder().extractTo(layout.root().resolve("models/build/encoders")
        .resolve(config.encoder().resourceName()));
    FitData data = config.task().fitData(layout);
    List<LabelledText> train = config.trainLimit() > 0 && config.trainLimit() < data.train().size()
        ? data.train().subList(0, config.trainLimit()) : data.train();
    float[][] trainX;
    float[][] devX;
    SessionConfig session = SessionConfig.cpu().withIntraOpThreads(config.threads());
    try (EncoderModel encoder =
        EncoderModel.open(encoderDir, new SessionFactory(), session, BatchConfig.defaults())) {
      trainX = embed(encoder, config, "train", FitData.texts(train));
      devX = embed(encoder, config, "dev", FitData.texts(data.dev()));
    }
    LinearHead head = LinearHeadTrainer.train(
        trainX, FitData.labels(train), devX, FitData.labels(data.dev()),
        config.task().numLabels(), config.head());
    log.printf(Locale.ROOT, "[teacher %s] head: train acc %.4f, dev acc %.4f%n",
        config.task().dirName(), head.trainAccuracy(), head.devAccuracy());

    Map<String, String> metadata = new LinkedHashMap<>();
    metadata.put("distillery.kind", "teacher");
    metadata.put("distillery.task", config.task().dirName());
    metadata.put("distillery.encoder", config.encoder().resourceName());
    metadata.put("distillery.recipe", config.toString());
    metadata.put("distillery.train_examples", String.valueOf(train.size()));
    metadata.put("distillery.dev_accuracy", String.format(Locale.ROOT, "%.4f", head.devAccuracy()));
    ModelProto composed = ClassifierComposer.compose(
        encoderDir.resolve("model.onnx"),
        io.distillery.export.compose.LinearHead.of(head.weight(), head.bias()),
        metadata);
    Path model = outDir.resolve("model.onnx");
    OnnxModels.write(composed, model);
    if (OnnxChecker.isAvailable()) {
      OnnxChecker.check(model);
    }
    copy(encoderDir.resolve("tokenizer.json"), outDir.resolve("tokenizer.json"));
    writeConfig(config, outDir, head, train.size(), data.dev().size());
    long seconds = (System.nanoTime() - start) / 1_000_000_000L;
    writeCard(config, outDir, head, train.size(), data.dev().size(), seconds);
    return new Result(outDir, head.trainAccuracy(), head.devAccuracy(), seconds, head);
  }

  private float[][] embed(EncoderModel encoder, TeacherConfig config, String split, List<String> texts) {
    String key = EmbeddingCache.key(config.encoder().resourceName(), texts);
    Path file = layout.root().resolve("models/build/cache/embeddings").resolve(
        config.task().dirName() + "-" + split + "-" + config.encoder().resourceName() + ".bin");
    return EmbeddingCache.getOrCompute(file, key, () -> {
      long t0 = System.nanoTime();
      float[][] x = new float[texts.size()][];
      Progress progress = new Progress("embed " + config.task().dirName() + " " + split, "texts", texts.size());
      for (int from = 0; from < texts.size(); from += EMBED_CHUNK) {
        int to = Math.min(texts.size(), from + EMBED_CHUNK);
        float[][] part = encoder.encoder().meanPooled(texts.subList(from, to));
        System.arraycopy(part, 0, x, from, part.length);
        progress.advance(part.length);
      }
      log.printf(Locale.ROOT, "[teacher %s] embedded %d %s texts in %.1f s%n",
          config.task().dirName(), texts.size(), split, (System.nanoTime() - t0) / 1e9);
      return x;
    });
  }

  private void writeConfig(TeacherConfig config, Path outDir, LinearHead head, int nTrain, int nDev) {
    ObjectNode root = Json.MAPPER.createObjectNode();
    root.put("model_type", "bert");
    root.putArray("architectures").add("BertForSequenceClassification");
    ObjectNode id2label = root.putObject("id2label");
    ObjectNode label2id = root.putObject("label2id");
    List<String> names = config.task().labelNames();
    for (int i = 0; i < names.size(); i++) {
      id2label.put(String.valueOf(i), names.get(i));
      label2id.put(names.get(i), i);
    }
    root.put("num_labels", names.size());
    ObjectNode d = root.putObject("distillery");
    d.put("kind", "teacher");
    d.put("task", config.task().dirName());
    d.put("task_description", config.task().description());
    d.put("encoder", config.encoder().resourceName());
    d.put("pooling", "masked mean over last_hidden_state");
    d.put("train_examples", nTrain);
    d.put("dev_examples", nDev);
    d.put("dev_accuracy", head.devAccuracy());
    d.put("model_sha256", Sha256.of(outDir.resolve("model.onnx")));
    try {
      AtomicFiles.writeString(outDir.resolve("config.json"), Json.MAPPER.writeValueAsString(root) + "\n");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private void writeCard(TeacherConfig config, Path outDir, LinearHead head, int nTrain, int nDev,
      long seconds) {
    String card = String.format(Locale.ROOT, """
        # Distillery demo teacher: %s

        %s

        - Encoder: `%s` (all-MiniLM-L6-v2, from the LangChain4j embeddings jar on Maven Central),
          masked mean pooling of `last_hidden_state`, then a linear head (`logits = pooled · W + b`),
          all in one ONNX graph (`model.onnx`, inputs `input_ids`, `attention_mask`, `token_type_ids`,
          output `logits [batch, %d]`).
        - Head trained with DJL on %d training examples; epoch chosen on %d dev examples.
        - Train accuracy %.4f, dev accuracy %.4f. Test accuracy: run
          `./distillery eval --model %s --data <test split>`.
        - Labels: %s. Built in %d s by `distillery models build --task %s`.
        """,
        config.task().dirName(), config.task().description(), config.encoder().resourceName(),
        config.task().numLabels(), nTrain, nDev, head.trainAccuracy(), head.devAccuracy(),
        outDir, config.task().labelNames(), seconds, config.task().dirName());
    AtomicFiles.writeString(outDir.resolve("README.md"), card);
  }

  private static void copy(Path from, Path to) {
    try {
      Files.createDirectories(to.getParent());
      Files.copy(from, to, StandardCopyOption.REPLACE_EXISTING);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
