package io.distillery.export.inspect;

import io.distillery.core.ModelLoadException;
import io.distillery.export.check.OnnxFileCheck;
import io.distillery.export.graph.ElemType;
import io.distillery.export.graph.Tensors;
import io.distillery.export.onnx.OnnxProto.GraphProto;
import io.distillery.export.onnx.OnnxProto.ModelProto;
import io.distillery.export.onnx.OnnxProto.OperatorSetIdProto;
import io.distillery.export.onnx.OnnxProto.TensorProto;
import io.distillery.export.onnx.OnnxProto.TensorShapeProto;
import io.distillery.export.onnx.OnnxProto.TypeProto;
import io.distillery.export.onnx.OnnxProto.ValueInfoProto;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/** Summarises an ONNX file: signature, opsets, parameter count, size and metadata. */
public final class OnnxInspector {
  private OnnxInspector() {}

  /**
   * Reads and summarises {@code file}. Graph inputs that are also initializers (old exporters
   * list weights as inputs) are not reported as inputs.
   *
   * @throws ModelLoadException if the file is missing or not an ONNX model
   */
  public static ModelSummary inspect(Path file) {
    ModelProto model = OnnxFileCheck.check(file);
    long bytes;
    try {
      bytes = Files.size(file);
    } catch (IOException e) {
      throw new UncheckedIOException(file + ": cannot read size", e);
    }
    return summarise(model, bytes);
  }

  /** Summarises a model already in memory; {@code fileBytes} is the size it was read from. */
  public static ModelSummary summarise(ModelProto model, long fileBytes) {
    GraphProto g = model.getGraph();
    Map<String, Long> opsets = new LinkedHashMap<>();
    for (OperatorSetIdProto id : model.getOpsetImportList()) {
      opsets.put(id.getDomain().isEmpty() ? "ai.onnx" : id.getDomain(), id.getVersion());
    }
    Set<String> weights =
        g.getInitializerList().stream().map(TensorProto::getName).collect(Collectors.toSet());
    List<TensorSummary> inputs = new ArrayList<>();
    for (ValueInfoProto v : g.getInputList()) {
      if (!weights.contains(v.getName())) {
        inputs.add(summary(v));
      }
    }
    List<TensorSummary> outputs = g.getOutputList().stream().map(OnnxInspector::summary).toList();
    long params = 0;
    for (TensorProto t : g.getInitializerList()) {
      params += Tensors.elementCount(t.getDimsList().stream().mapToLong(Long::longValue).toArray());
    }
    Map<String, String> metadata = new LinkedHashMap<>();
    model.getMetadataPropsList().forEach(e -> metadata.put(e.getKey(), e.getValue()));
    return new ModelSummary(model.getIrVersion(), model.getProducerName(), opsets, inputs,
        outputs, params, fileBytes, metadata);
  }

  private static TensorSummary summary(ValueInfoProto v) {
    TypeProto type = v.getType();
    if (!type.hasTensorType()) {
      return new TensorSummary(v.getName(), type.getValueCase().name(), List.of());
    }
    TypeProto.Tensor t = type.getTensorType();
    List<String> dims = new ArrayList<>();
    for (TensorShapeProto.Dimension d : t.getShape().getDimList()) {
      dims.add(d.hasDimValue() ? Long.toString(d.getDimValue())
          : d.hasDimParam() ? d.getDimParam() : "?");
    }
    return new TensorSummary(v.getName(), ElemType.nameOf(t.getElemType()), dims);
  }
}
