package io.distillery.synth.testing;

import io.distillery.core.AtomicFiles;
import io.distillery.export.compose.ClassifierComposer;
import io.distillery.export.compose.LinearHead;
import io.distillery.export.graph.OnnxModels;
import io.distillery.runtime.batch.BatchConfig;
import io.distillery.runtime.classify.ClassifierModel;
import io.distillery.runtime.session.SessionConfig;
import io.distillery.runtime.session.SessionFactory;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * A real teacher for synth tests: the int8 all-MiniLM-L6-v2 encoder (from the LangChain4j jar)
 * with masked mean pooling and a seeded random 2-label head, composed into one ONNX classifier.
 * Built and opened once per test JVM and shared; tests never close it.
 */
public final class TinyTeacher {
  private static Path folder;
  private static ClassifierModel model;

  private TinyTeacher() {}

  /** The teacher folder (model.onnx, tokenizer.json, config.json with negative/positive). */
  public static synchronized Path folder() {
    if (folder == null) {
      try {
        Path dir = TempDirs.create("synth-teacher");
        Path encoder = dir.resolve("encoder.onnx");
        copy("/all-minilm-l6-v2-q.onnx", encoder);
        SplittableRandom rng = new SplittableRandom(11);
        float[][] w = new float[384][2];
        for (float[] row : w) {
          row[0] = (float) rng.nextGaussian();
          row[1] = (float) rng.nextGaussian();
        }
        Path clf = Files.createDirectories(dir.resolve("teacher"));
        OnnxModels.write(ClassifierComposer.compose(encoder,
            LinearHead.of(w, new float[] {0.1f, -0.1f}), Map.of("distillery.kind", "test")),
            clf.resolve("model.onnx"));
        copy("/all-minilm-l6-v2-q-tokenizer.json", clf.resolve("tokenizer.json"));
        AtomicFiles.writeString(clf.resolve("config.json"),
            "{\"id2label\": {\"0\": \"negative\", \"1\": \"positive\"}}\n");
        Files.delete(encoder);
        folder = clf;
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    return folder;
  }

  public static synchronized ClassifierModel model() {
    if (model == null) {
      model = ClassifierModel.open(folder(), new SessionFactory(), SessionConfig.cpu(),
          BatchConfig.defaults());
    }
    return model;
  }

  private static void copy(String resource, Path target) throws IOException {
    try (InputStream in = TinyTeacher.class.getResourceAsStream(resource)) {
      if (in == null) {
        throw new IllegalStateException(resource + " is not on the test classpath");
      }
      Files.copy(in, target);
    }
  }
}
