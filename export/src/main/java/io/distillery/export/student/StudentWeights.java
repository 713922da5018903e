package io.distillery.export.student;

import io.distillery.core.ShapeMismatchException;
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
