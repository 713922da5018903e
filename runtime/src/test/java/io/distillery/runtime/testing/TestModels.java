package io.distillery.runtime.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Random;

/**
 * The real all-MiniLM-L6-v2 encoders shipped in the langchain4j Maven jars (test scope), copied out
 * of the classpath once into {@code target/test-models/<name>/} as model.onnx + tokenizer.json, and
 * a real classifier composed from the int8 encoder (mean pooling + a seeded linear head).
 */
public final class TestModels {
  /** Hidden size of all-MiniLM-L6-v2. */
  public static final int HIDDEN = 384;
  /** Labels of the composed test classifier. */
  public static final String[] LABELS = {"negative", "neutral", "positive"};
  /** Seed of the composed classifier's head. */
  public static final long HEAD_SEED = 7;

  private static final Path ROOT = Path.of("target", "test-models");

  /** Bump when {@link ClassifierFixture} or the head changes: composed folders are cached on disk. */
  private static final String FIXTURE_VERSION = "v1";

  private TestModels() {}

  /** all-MiniLM-L6-v2 int8 (23 MB): the fast one. */
  public static synchronized Path minilmInt8() {
    return extract("minilm-q", "all-minilm-l6-v2-q.onnx", "all-minilm-l6-v2-q-tokenizer.json");
  }

  /** all-MiniLM-L6-v2 fp32 (90 MB). */
  public static synchronized Path minilmFp32() {
    return extract("minilm", "all-minilm-l6-v2.onnx", "all-minilm-l6-v2-tokenizer.json");
  }

  /** Head weights {@code [384, 3]} of {@link #classifier(Path)}. */
  public static float[][] headWeights() {
    return ClassifierFixture.weights(HIDDEN, LABELS.length, HEAD_SEED);
  }

  /** Head bias {@code [3]} of {@link #classifier(Path)}. */
  public static float[] headBias() {
    Random random = new Random(HEAD_SEED + 1);
    float[] b = new float[LABELS.length];
    for (int i = 0; i < b.length; i++) {
      b[i] = (float) random.nextGaussian() * 0.1f;
    }
    return b;
  }

  /**
   * A classifier folder (model.onnx with logits [batch_size, 3], tokenizer.json, config.json with
   * id2label) composed from the encoder folder {@code encoder}.
   */
  public static synchronized Path classifier(Path encoder) {
    Path dir = ROOT.resolve(encoder.getFileName() + "-classifier-" + FIXTURE_VERSION + "-seed" + HEAD_SEED);
    Path model = dir.resolve("model.onnx");
    try {
      if (!Files.isRegularFile(model)) { // model.onnx is written last: its presence marks a complete folder
        Files.createDirectories(dir);
        byte[] composed = ClassifierFixture.compose(
            Files.readAllBytes(encoder.resolve("model.onnx")), headWeights(), headBias());
        write(dir.resolve("tokenizer.json"), Files.readAllBytes(encoder.resolve("tokenizer.json")));
        write(dir.resolve("config.json"), ("{\"architectures\": [\"BertForSequenceClassification\"],"
            + " \"id2label\": {\"0\": \"negative\", \"1\": \"neutral\", \"2\": \"positive\"}}").getBytes());
        write(model, composed);
      }
      return dir;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static Path extract(String name, String onnxResource, String tokenizerResource) {
    Path dir = ROOT.resolve(name);
    Path model = dir.resolve("model.onnx");
    try {
      if (!Files.isRegularFile(model)) {
        Files.createDirectories(dir);
        copy(tokenizerResource, dir.resolve("tokenizer.json"));
        copy(onnxResource, model);
      }
      return dir;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static void copy(String resource, Path target) throws IOException {
    try (InputStream in = TestModels.class.getClassLoader().getResourceAsStream(resource)) {
      if (in == null) {
        throw new IOException("test resource " + resource + " not on the classpath (langchain4j embeddings jar)");
      }
      Path tmp = target.resolveSibling(target.getFileName() + ".tmp");
      Files.copy(in, tmp, StandardCopyOption.REPLACE_EXISTING);
      Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }
  }

  private static void write(Path target, byte[] bytes) throws IOException {
    Path tmp = target.resolveSibling(target.getFileName() + ".tmp");
    Files.write(tmp, bytes);
    Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
  }
}
