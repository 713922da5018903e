package io.distillery.export;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import io.distillery.export.check.OnnxChecker;
import io.distillery.export.graph.OnnxModels;
import io.distillery.export.onnx.OnnxProto.ModelProto;
import java.io.IOException;
import java.io.InputStream;
import java.nio.FloatBuffer;
import java.nio.LongBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;

/** Writes models, runs the ONNX checker on them and runs them in ONNX Runtime. */
public final class OnnxTestSupport {
  /** Set to true to run without python3-onnx; otherwise a missing checker fails the tests. */
  public static final String SKIP_CHECKER = "distillery.skipOnnxChecker";

  public static final String MINILM = "all-minilm-l6-v2.onnx";
  public static final long MINILM_BYTES = 90_387_606L;

  private OnnxTestSupport() {}

  /** A float or int64 tensor's values, flattened row-major, with its shape. */
  public record Tensor(long[] shape, float[] floats, long[] longs) {
    public static Tensor of(float[] values, long... shape) {
      return new Tensor(shape, values, null);
    }

    public static Tensor of(long[] values, long... shape) {
      return new Tensor(shape, null, values);
    }
  }

  /**
   * The real all-MiniLM-L6-v2 encoder (fp32, 90 MB, IR 6, opset 11) from the langchain4j jar on
   * the test classpath, copied once to target/test-models.
   */
  public static synchronized Path miniLm() throws IOException {
    Path file = Path.of("target", "test-models", MINILM).toAbsolutePath();
    try (InputStream in = OnnxTestSupport.class.getResourceAsStream("/" + MINILM)) {
      if (in == null) {
        throw new AssertionError(MINILM + " is not on the test classpath");
      }
      if (!Files.isRegularFile(file) || Files.size(file) != MINILM_BYTES) {
        Files.createDirectories(file.getParent());
        Files.copy(in, file, StandardCopyOption.REPLACE_EXISTING);
      }
    }
    return file;
  }

  /** Writes the model to dir/name and runs the ONNX checker on it. */
  public static Path writeChecked(ModelProto model, Path dir, String name) {
    Path file = dir.resolve(name);
    OnnxModels.write(model, file);
    check(file);
    return file;
  }

  /** Runs the ONNX checker unless -Ddistillery.skipOnnxChecker=true; fails if it is missing. */
  public static void check(Path file) {
    if (!Boolean.getBoolean(SKIP_CHECKER)) {
      OnnxChecker.check(file);
    }
  }

  /** Runs the model on the given inputs and returns every output, by name. */
  public static Map<String, Tensor> run(Path model, Map<String, Tensor> inputs) throws OrtException {
    OrtEnvironment env = OrtEnvironment.getEnvironment();
    Map<String, OnnxTensor> feed = new HashMap<>();
    try (OrtSession.SessionOptions options = new OrtSession.SessionOptions();
        OrtSession session = env.createSession(model.toString(), options)) {
      for (Map.Entry<String, Tensor> e : inputs.entrySet()) {
        Tensor t = e.getValue();
        feed.put(e.getKey(), t.floats() != null
            ? OnnxTensor.createTensor(env, FloatBuffer.wrap(t.floats()), t.shape())
            : OnnxTensor.createTensor(env, LongBuffer.wrap(t.longs()), t.shape()));
      }
      Map<String, Tensor> out = new LinkedHashMap<>();
      try (OrtSession.Result result = session.run(feed)) {
        for (Map.Entry<String, ai.onnxruntime.OnnxValue> e : result) {
          OnnxTensor t = (OnnxTensor) e.getValue();
          long[] shape = t.getInfo().getShape();
          out.put(e.getKey(), switch (t.getInfo().type) {
            case FLOAT -> Tensor.of(copy(t.getFloatBuffer()), shape);
            case INT64 -> Tensor.of(copy(t.getLongBuffer()), shape);
            default -> throw new AssertionError(e.getKey() + ": unexpected " + t.getInfo().type);
          });
        }
      }
      return out;
    } finally {
      feed.values().forEach(OnnxTensor::close);
    }
  }

  /** Fails unless both arrays have the same length and every pair differs by at most tol. */
  public static void assertClose(float[] expected, float[] actual, double tol, String what) {
    if (expected.length != actual.length) {
      throw new AssertionError(what + ": expected " + expected.length + " values, got "
          + actual.length);
    }
    for (int i = 0; i < expected.length; i++) {
      if (!(Math.abs(expected[i] - actual[i]) <= tol)) {
        throw new AssertionError(what + "[" + i + "]: expected " + expected[i] + ", got "
            + actual[i] + " (tolerance " + tol + ")");
      }
    }
  }

  private static float[] copy(FloatBuffer b) {
    float[] a = new float[b.remaining()];
    b.get(a);
    return a;
  }

  private static long[] copy(LongBuffer b) {
    long[] a = new long[b.remaining()];
    b.get(a);
    return a;
  }
}
