package io.distillery.export.inspect;

import java.util.List;

/**
 * A graph input or output: its name, element type name ("FLOAT", "INT64") and dims as strings
 * (a size such as "384", a symbol such as "batch", or "?" for an unnamed unknown dim). {@code
 * dims} is empty when the model declares no shape.
 */
public record TensorSummary(String name, String elemType, List<String> dims) {
  public TensorSummary {
    dims = List.copyOf(dims);
  }

  @Override
  public String toString() {
    return name + ": " + elemType + dims;
  }
}
