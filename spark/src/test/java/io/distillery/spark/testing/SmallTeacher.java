package io.distillery.spark.testing;

import io.distillery.core.AtomicFiles;
import io.distillery.export.gpt.WeightTensor;
import io.distillery.export.student.StudentArchitecture;
import io.distillery.export.student.StudentExporter;
import io.distillery.export.student.StudentWeights;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * A small fp32 teacher for Spark tests: a 2-layer, 64-wide transformer classifier with seeded
 * random weights, written by Distillery's own student exporter, with the all-MiniLM-L6-v2
 * tokenizer. Fast enough to label 10,000 sentences several times in a test.
 *
 * <p>fp32 on purpose: its logits do not depend on which texts share a batch (to float rounding),
 * which is what lets the Spark corpus equal the single-process one. The int8 all-MiniLM-L6-v2
 * teacher of synth's tests quantizes activations per batch, so the same text gets other logits in
 * another batch (measured: 27 of 10,000 argmax labels flipped).
 */
public final class SmallTeacher {
  private SmallTeacher() {}

  /** Writes the teacher folder (model.onnx, tokenizer.json, config.json) at {@code dir}. */
  public static Path create(Path dir) {
    try {
      Files.createDirectories(dir);
      StudentArchitecture arch = new StudentArchitecture(2, 64, 4, 128, 128, 30522, 2, 0);
      SplittableRandom rng = new SplittableRandom(29);
      Map<String, WeightTensor> tensors = new LinkedHashMap<>();
      arch.weightShapes().forEach((name, shape) -> {
        long n = 1;
        for (long d : shape) {
          n *= d;
        }
        float[] v = new float[Math.toIntExact(n)];
        for (int i = 0; i < v.length; i++) {
          v[i] = (float) (rng.nextGaussian() * 0.3);
        }
        tensors.put(name, new WeightTensor(shape, v));
      });
      StudentExporter.export(new StudentWeights(arch, tensors), Map.of("distillery.kind", "test"),
          dir.resolve("model.onnx"));
      try (InputStream in = SmallTeacher.class.getResourceAsStream("/all-minilm-l6-v2-q-tokenizer.json")) {
        if (in == null) {
          throw new IllegalStateException("the all-MiniLM-L6-v2 tokenizer is not on the test classpath");
        }
        Files.copy(in, dir.resolve("tokenizer.json"));
      }
      AtomicFiles.writeString(dir.resolve("config.json"),
          "{\"id2label\": {\"0\": \"negative\", \"1\": \"positive\"}}\n");
      return dir;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
