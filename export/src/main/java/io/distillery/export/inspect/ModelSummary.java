package io.distillery.export.inspect;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What an ONNX file holds, without running it.
 *
 * @param opsets imported operator sets, domain to version ("ai.onnx" for the default domain)
 * @param parameterCount the number of elements of all initializers
 * @param fileBytes the file's size on disk
 * @param metadata the model's {@code metadata_props}, in file order
 */
public record ModelSummary(
    long irVersion,
    String producer,
    Map<String, Long> opsets,
    List<TensorSummary> inputs,
    List<TensorSummary> outputs,
    long parameterCount,
    long fileBytes,
    Map<String, String> metadata) {
  public ModelSummary {
    opsets = Map.copyOf(opsets);
    inputs = List.copyOf(inputs);
    outputs = List.copyOf(outputs);
    metadata = Collections.unmodifiableMap(new LinkedHashMap<>(metadata));
  }

  /** The input with this name, if the model has one. */
  public Optional<TensorSummary> input(String name) {
    return inputs.stream().filter(t -> t.name().equals(name)).findFirst();
  }

  /** The output with this name, if the model has one. */
  public Optional<TensorSummary> output(String name) {
    return outputs.stream().filter(t -> t.name().equals(name)).findFirst();
  }
}
