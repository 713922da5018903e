package io.distillery.train.gpt;

import ai.djl.ndarray.NDArray;
import ai.djl.nn.Parameter;
import io.distillery.core.ModelLoadException;
import io.distillery.export.gpt.OnnxInitializers;
import io.distillery.export.gpt.WeightTensor;
import java.nio.FloatBuffer;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Moves a {@link GptModel}'s parameters to and from named float tensors, under the Hugging Face
 * GPT-2 names of {@link GptModel#namedParameters()} (which are also the ONNX initializer names).
 */
public final class GptWeights {
  private GptWeights() {}

  /** A copy of every parameter, by name. */
  public static Map<String, WeightTensor> export(GptModel model) {
    Map<String, WeightTensor> out = new LinkedHashMap<>();
    for (Map.Entry<String, Parameter> e : model.namedParameters().entrySet()) {
      NDArray a = e.getValue().getArray();
      out.put(e.getKey(), new WeightTensor(a.getShape().getShape(), a.toFloatArray()));
    }
    return out;
  }

  /**
   * Reads the float initializers of an ONNX file and copies them into the model's parameters.
   *
   * @throws ModelLoadException naming the file and the missing name or mismatched shape
   */
  public static void importOnnx(GptModel model, Path onnxFile) {
    load(model, OnnxInitializers.readFloats(onnxFile), onnxFile);
  }

  /**
   * Copies named tensors into the model's parameters (which must be initialised). Every
   * parameter must be present with exactly its shape; extra tensors are ignored.
   *
   * @param source names the origin in error messages
   * @throws ModelLoadException naming the missing parameter or the mismatched shape
   */
  public static void load(GptModel model, Map<String, WeightTensor> tensors, Path source) {
    Map<String, Parameter> params = model.namedParameters();
    for (Map.Entry<String, Parameter> e : params.entrySet()) {
      WeightTensor t = tensors.get(e.getKey());
      long[] expected = e.getValue().getArray().getShape().getShape();
      if (t == null) {
        throw new ModelLoadException(source, "no weight named '" + e.getKey() + "' (expected shape "
            + Arrays.toString(expected) + " for " + model.config() + ")");
      }
      if (!Arrays.equals(t.shape(), expected)) {
        throw new ModelLoadException(source, "weight '" + e.getKey() + "' has shape "
            + t.shapeText() + ", expected " + Arrays.toString(expected) + " for " + model.config());
      }
    }
    for (Map.Entry<String, Parameter> e : params.entrySet()) {
      WeightTensor t = tensors.get(e.getKey());
      e.getValue().getArray().set(FloatBuffer.wrap(t.values())); // in place, keeps grad flags
    }
  }
}
