package io.distillery.export.student;

import io.distillery.core.BadInputException;
import io.distillery.core.ShapeMismatchException;
import io.distillery.export.gpt.OnnxInitializers;
import io.distillery.export.onnx.OnnxProto.ModelProto;
import java.nio.file.Path;
import io.distillery.export.gpt.WeightTensor;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A trained student as plain arrays: its architecture and every weight of {@link
 * StudentArchitecture#weightShapes()}, by name, in that order. Checked once here, so the exporter
 * and the DJL loader can trust it.
 *
 * @param architecture the dimensions the weights belong to
 * @param tensors every weight of the architecture with exactly its shape (extra names rejected)
 */
public record StudentWeights(StudentArchitecture architecture, Map<String, WeightTensor> tensors) {
  /** The metadata key holding {@link StudentArchitecture#summary()} in an exported student. */
  public static final String ARCHITECTURE_KEY = "distillery.architecture";

  public StudentWeights {
    Map<String, long[]> shapes = architecture.weightShapes();
    Map<String, WeightTensor> ordered = new LinkedHashMap<>();
    for (Map.Entry<String, long[]> e : shapes.entrySet()) {
      WeightTensor t = tensors.get(e.getKey());
      if (t == null) {
        throw new ShapeMismatchException("student weights: no tensor named '" + e.getKey()
            + "' (expected shape " + Arrays.toString(e.getValue()) + " for "
            + architecture.summary() + ")");
      }
      if (!Arrays.equals(t.shape(), e.getValue())) {
        throw new ShapeMismatchException("student weights: '" + e.getKey() + "' has shape "
            + t.shapeText() + ", expected " + Arrays.toString(e.getValue()) + " for "
            + architecture.summary());
      }
      ordered.put(e.getKey(), t);
    }
    if (tensors.size() != ordered.size()) {
      throw new ShapeMismatchException("student weights: unexpected tensors "
          + tensors.keySet().stream().filter(k -> !shapes.containsKey(k)).sorted().toList()
          + " for " + architecture.summary());
    }
    tensors = Collections.unmodifiableMap(ordered);
  }

  /**
   * The weights of a student that {@link StudentExporter} wrote: the architecture from its {@code
   * distillery.architecture} metadata, every weight from the initializer of the same name.
   *
   * @throws BadInputException if the model is not an fp32 Distillery student
   */
  public static StudentWeights read(ModelProto model, Path source) {
    String summary = model.getMetadataPropsList().stream()
        .filter(e -> e.getKey().equals(ARCHITECTURE_KEY)).map(e -> e.getValue()).findFirst()
        .orElseThrow(() -> BadInputException.of(source, "no '" + ARCHITECTURE_KEY
            + "' metadata; expected a student exported by Distillery"));
    StudentArchitecture arch = StudentArchitecture.fromSummary(summary);
    Map<String, WeightTensor> all = OnnxInitializers.readFloats(model, source);
    Map<String, WeightTensor> mine = new LinkedHashMap<>();
    for (String name : arch.weightShapes().keySet()) {
      WeightTensor t = all.get(name);
      if (t == null) {
        throw BadInputException.of(source, "no fp32 initializer '" + name + "' (expected every"
            + " weight of " + summary + "; an int8 export cannot be read back)");
      }
      mine.put(name, t);
    }
    return new StudentWeights(arch, mine);
  }

  /** The named weight (one of the architecture's names). */
  public WeightTensor tensor(String name) {
    WeightTensor t = tensors.get(name);
    if (t == null) {
      throw new IllegalArgumentException("student weights: no tensor named '" + name + "'");
    }
    return t;
  }

  public long parameterCount() {
    return tensors.values().stream().mapToLong(t -> t.values().length).sum();
  }
}
