package io.distillery.export.compose;

import io.distillery.core.BadInputException;
import io.distillery.core.ModelLoadException;
import io.distillery.core.ShapeMismatchException;
import io.distillery.export.ExportException;
import io.distillery.export.graph.Dim;
import io.distillery.export.graph.ElemType;
import io.distillery.export.graph.OnnxGraph;
import io.distillery.export.graph.OnnxModels;
import io.distillery.export.graph.Op;
import io.distillery.export.graph.Ref;
import io.distillery.export.onnx.OnnxProto.GraphProto;
import io.distillery.export.onnx.OnnxProto.ModelProto;
import io.distillery.export.onnx.OnnxProto.TensorShapeProto;
import io.distillery.export.onnx.OnnxProto.TensorProto;
import io.distillery.export.onnx.OnnxProto.TypeProto;
import io.distillery.export.onnx.OnnxProto.ValueInfoProto;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Turns a sentence encoder into a classifier in one ONNX model: encoder, masked mean pooling, a
 * linear head. The result keeps the encoder's inputs ({@code input_ids}, {@code attention_mask}
 * and any others, int64 {@code [batch, seq]}) and has one output, {@code logits} float {@code
 * [batch, L]}: the signature Hugging Face Optimum gives text classifiers.
 *
 * <pre>
 *   mask    = Cast(attention_mask, float)                          [B, T]
 *   summed  = Reshape(mask, [0,1,-1]) · last_hidden_state           [B, 1, H]
 *   count   = Max(Reshape(mask, [0,1,-1]) · Reshape(mask, [0,-1,1]), 1e-9)   [B, 1, 1]
 *   pooled  = Reshape(summed / count, [0,-1])                       [B, H]
 *   logits  = pooled · W + b                                        [B, L]
 * </pre>
 *
 * Every appended op has the same signature at opsets 11 to 17, so the model keeps the encoder's
 * opset and IR version. New names start with {@value #PREFIX} and never clash with the encoder's.
 */
public final class ClassifierComposer {
  public static final String PREFIX = "head/";
  public static final String INPUT_IDS = "input_ids";
  public static final String ATTENTION_MASK = "attention_mask";
  public static final String HIDDEN = "last_hidden_state";
  public static final String LOGITS = "logits";
  /** Floor of the number of unmasked positions, so an all-padding row gives 0, not NaN. */
  public static final float MIN_COUNT = 1e-9f;

  private ClassifierComposer() {}

  /**
   * Reads an encoder file and composes it with the head; errors name the file.
   *
   * @throws ModelLoadException if the file is not an ONNX encoder with the required signature
   * @throws ShapeMismatchException if the encoder's hidden size is not the head's
   */
  public static ModelProto compose(Path encoderFile, LinearHead head, Map<String, String> metadata) {
    return compose(OnnxModels.read(encoderFile), head, metadata, encoderFile);
  }

  /**
   * Composes an encoder already in memory with the head; errors start with "encoder:".
   *
   * @param metadata written into {@code metadata_props} (provenance), after the encoder's own
   * @throws BadInputException if the encoder lacks the required inputs or output
   * @throws ShapeMismatchException if the encoder's hidden size is not the head's
   */
  public static ModelProto compose(
      ModelProto encoder, LinearHead head, Map<String, String> metadata) {
    return compose(encoder, head, metadata, null);
  }

  private static ModelProto compose(
      ModelProto encoder, LinearHead head, Map<String, String> metadata, Path file) {
    Dim batch = checkSignature(encoder, head, file);
    OnnxGraph g;
    try {
      g = OnnxGraph.extend(encoder, PREFIX);
    } catch (ExportException e) {
      throw bad(file, e.getMessage());
    }
    if (g.hasValue(LOGITS)) {
      throw bad(file, "already has a value named '" + LOGITS
          + "'; is it a classifier already?");
    }
    Ref mask = g.value(ATTENTION_MASK).apply(Op.CAST, Map.of("to", ElemType.FLOAT)); // [B, T]
    Ref maskRow = mask.apply(Op.RESHAPE, g.vector("mask_row_shape", 0, 1, -1)); // [B, 1, T]
    Ref maskCol = mask.apply(Op.RESHAPE, g.vector("mask_col_shape", 0, -1, 1)); // [B, T, 1]
    Ref summed = maskRow.apply(Op.MATMUL, g.value(HIDDEN)); // [B, 1, H]
    Ref count = maskRow.apply(Op.MATMUL, maskCol) // [B, 1, 1]
        .apply(Op.MAX, g.scalar("min_count", MIN_COUNT));
    Ref pooled = summed.apply(Op.DIV, count) // [B, 1, H]
        .apply(Op.RESHAPE, g.vector("pooled_shape", 0, -1)); // [B, H]
    Ref logits = pooled.apply(Op.MATMUL, g.initializer("weight", head.weight())) // [B, L]
        .apply(Op.ADD, g.initializer("bias", head.bias(), head.numLabels()));
    g.clearOutputs();
    g.output(logits, LOGITS, ElemType.FLOAT, batch, Dim.of(head.numLabels()));
    g.metadata("distillery.composition", "encoder + masked mean pooling + linear head [H="
        + head.hiddenSize() + ", L=" + head.numLabels() + "]");
    metadata.forEach(g::metadata);
    return g.toModel();
  }

  /** Checks inputs and the hidden-state output; returns the mask's batch dimension. */
  private static Dim checkSignature(ModelProto encoder, LinearHead head, Path file) {
    GraphProto graph = encoder.getGraph();
    Set<String> weights =
        graph.getInitializerList().stream().map(TensorProto::getName).collect(Collectors.toSet());
    List<ValueInfoProto> inputs =
        graph.getInputList().stream().filter(v -> !weights.contains(v.getName())).toList();
    List<String> inputNames = inputs.stream().map(ValueInfoProto::getName).toList();
    for (String required : List.of(INPUT_IDS, ATTENTION_MASK)) {
      if (!inputNames.contains(required)) {
        throw bad(file, "no input '" + required + "' (has " + inputNames + ")");
      }
    }
    ValueInfoProto mask = find(inputs, ATTENTION_MASK).orElseThrow();
    int maskType = mask.getType().getTensorType().getElemType();
    if (maskType != ElemType.INT64.code() && maskType != ElemType.INT32.code()) {
      throw bad(file, "input '" + ATTENTION_MASK + "' must be int64, found "
          + ElemType.nameOf(maskType));
    }
    List<String> outputNames = graph.getOutputList().stream().map(ValueInfoProto::getName).toList();
    ValueInfoProto hidden = find(graph.getOutputList(), HIDDEN).orElseThrow(
        () -> bad(file, "no output '" + HIDDEN + "' (has " + outputNames + ")"));
    TypeProto.Tensor type = hidden.getType().getTensorType();
    if (type.getElemType() != ElemType.FLOAT.code()) {
      throw bad(file, "output '" + HIDDEN + "' must be float, found "
          + ElemType.nameOf(type.getElemType()));
    }
    List<TensorShapeProto.Dimension> dims = type.getShape().getDimList();
    if (type.hasShape() && dims.size() != 3) {
      throw shape(file, "output '" + HIDDEN + "' must be [batch, seq, H], found rank "
          + dims.size());
    }
    if (type.hasShape() && dims.get(2).hasDimValue()
        && dims.get(2).getDimValue() != head.hiddenSize()) {
      throw shape(file, "output '" + HIDDEN + "' has H=" + dims.get(2).getDimValue()
          + ", the head's weight has " + head.hiddenSize() + " rows");
    }
    TensorShapeProto.Dimension batch = mask.getType().getTensorType().getShape().getDimCount() > 0
        ? mask.getType().getTensorType().getShape().getDim(0)
        : TensorShapeProto.Dimension.getDefaultInstance();
    return batch.hasDimValue() ? Dim.of(batch.getDimValue())
        : Dim.of(batch.hasDimParam() ? batch.getDimParam() : "batch");
  }

  private static Optional<ValueInfoProto> find(List<ValueInfoProto> values, String name) {
    return values.stream().filter(v -> v.getName().equals(name)).findFirst();
  }

  private static BadInputException bad(Path file, String problem) {
    return file == null ? new BadInputException("encoder: " + problem)
        : new ModelLoadException(file, problem);
  }

  private static ShapeMismatchException shape(Path file, String problem) {
    return new ShapeMismatchException((file == null ? "encoder" : file.toString()) + ": " + problem);
  }
}
