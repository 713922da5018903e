package io.distillery.tests;

import io.distillery.core.AtomicFiles;
import io.distillery.export.compose.ClassifierComposer;
import io.distillery.export.compose.LinearHead;
import io.distillery.export.graph.OnnxModels;
import io.distillery.models.teacher.EncoderVariant;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * A real classifier folder for CLI tests, built in a second: the int8 all-MiniLM-L6-v2 encoder
 * from its jar composed with a fixed random 2-label head (no training needed to test plumbing).
 */
public final class TinyClassifier {
  private TinyClassifier() {}

  /** Writes {@code dir/encoder} (the bare encoder folder) and {@code dir/classifier}. */
  public static Path create(Path dir) throws IOException {
    Path encoder = EncoderVariant.INT8.extractTo(dir.resolve("encoder"));
    SplittableRandom rng = new SplittableRandom(11);
    float[][] w = new float[384][2];
    for (float[] row : w) {
      row[0] = (float) rng.nextGaussian();
      row[1] = (float) rng.nextGaussian();
    }
    Path clf = dir.resolve("classifier");
    Files.createDirectories(clf);
    OnnxModels.write(
        ClassifierComposer.compose(encoder.resolve("model.onnx"),
            LinearHead.of(w, new float[] {0.1f, -0.1f}), Map.of("distillery.kind", "test")),
        clf.resolve("model.onnx"));
    Files.copy(encoder.resolve("tokenizer.json"), clf.resolve("tokenizer.json"));
    AtomicFiles.writeString(clf.resolve("config.json"),
        "{\"id2label\": {\"0\": \"negative\", \"1\": \"positive\"}}\n");
    return clf;
  }
}
