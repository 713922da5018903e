package io.distillery.export.graph;

import java.util.List;

/**
 * The ONNX operators (default domain) Distillery's exporters use, each with its input arity, the
 * number of outputs it may have, its attribute names and the first opset it exists in.
 *
 * <p>Where an operator's signature changed within the opsets Distillery writes (11 to 17), the
 * builder takes the newest form and emits the one the graph's opset needs:
 *
 * <ul>
 *   <li>{@code axes} of {@link #UNSQUEEZE}, {@link #SQUEEZE} and {@link #REDUCE_SUM} is an
 *       attribute before opset 13 and an input from 13 on. Callers always pass it as the {@code
 *       axes} attribute; from opset 13 the builder turns it into an int64 initializer input
 *       ({@link #axesInputSince()}). {@link #REDUCE_MEAN} and {@link #REDUCE_MAX} keep the
 *       attribute until opset 18, which is past the newest opset Distillery writes.
 *   <li>{@link #SOFTMAX} before opset 13 flattens its input to 2-D around {@code axis}; the
 *       builder accepts it there only for the last axis, where both meanings agree.
 *   <li>Some attributes are newer than their operator ({@link #attributeSince(String)}).
 * </ul>
 */
public enum Op {
  IDENTITY("Identity", 1, 1),
  CAST("Cast", 1, 1, "to"),
  RESHAPE("Reshape", 2, 2, "allowzero"),
  MATMUL("MatMul", 2, 2),
  GEMM("Gemm", 2, 3, "alpha", "beta", "transA", "transB"),
  ADD("Add", 2, 2),
  SUB("Sub", 2, 2),
  MUL("Mul", 2, 2),
  DIV("Div", 2, 2),
  POW("Pow", 2, 2),
  MAX("Max", 1, Integer.MAX_VALUE),
  SQRT("Sqrt", 1, 1),
  TANH("Tanh", 1, 1),
  ERF("Erf", 1, 1),
  RELU("Relu", 1, 1),
  SIGMOID("Sigmoid", 1, 1),
  NEG("Neg", 1, 1),
  EXP("Exp", 1, 1),
  LOG("Log", 1, 1),
  SOFTMAX("Softmax", 1, 1, "axis"),
  TRANSPOSE("Transpose", 1, 1, "perm"),
  CONCAT("Concat", 1, Integer.MAX_VALUE, "axis"),
  GATHER("Gather", 2, 2, "axis"),
  SHAPE("Shape", 1, 1, "start", "end"),
  SLICE("Slice", 3, 5),
  UNSQUEEZE("Unsqueeze", 1, 1, "axes"),
  SQUEEZE("Squeeze", 1, 1, "axes"),
  REDUCE_MEAN("ReduceMean", 1, 1, "axes", "keepdims"),
  REDUCE_SUM("ReduceSum", 1, 1, "axes", "keepdims", "noop_with_empty_axes"),
  REDUCE_MAX("ReduceMax", 1, 1, "axes", "keepdims"),
  LAYER_NORMALIZATION(17, "LayerNormalization", 2, 3, 3, "axis", "epsilon", "stash_type"),
  WHERE("Where", 3, 3),
  EQUAL("Equal", 2, 2),
  TRILU(14, "Trilu", 1, 2, 1, "upper"),
  EXPAND("Expand", 2, 2),
  CONSTANT_OF_SHAPE("ConstantOfShape", 1, 1, "value"),
  RANGE("Range", 3, 3),
  /** (x, k int64 [1]) to (values, int64 indices) of the k largest along {@code axis}, sorted. */
  TOPK(11, "TopK", 2, 2, 2, "axis", "largest", "sorted"),
  /** x to (uint8 y, float scale, uint8 zero point) over the whole tensor, for int8 MatMuls. */
  DYNAMIC_QUANTIZE_LINEAR(11, "DynamicQuantizeLinear", 1, 1, 3),
  /** (a, b, a zero point, b zero point) to the int32 product of the zero-point-shifted inputs. */
  MATMUL_INTEGER("MatMulInteger", 2, 4),
  CONSTANT(
      "Constant",
      0,
      0,
      "value",
      "value_float",
      "value_floats",
      "value_int",
      "value_ints",
      "value_string",
      "value_strings");

  /** The lowest opset Distillery writes; every operator here exists there unless it says so. */
  public static final int MIN_OPSET = 11;
  /** The highest opset Distillery writes (the newest the Debian ONNX 1.12 checker knows). */
  public static final int MAX_OPSET = 17;

  private final int since;
  private final String onnxName;
  private final int minInputs;
  private final int maxInputs;
  private final int maxOutputs;
  private final List<String> attributes;

  Op(String onnxName, int minInputs, int maxInputs, String... attributes) {
    this(MIN_OPSET, onnxName, minInputs, maxInputs, 1, attributes);
  }

  Op(int since, String onnxName, int minInputs, int maxInputs, int maxOutputs, String... attrs) {
    this.since = since;
    this.onnxName = onnxName;
    this.minInputs = minInputs;
    this.maxInputs = maxInputs;
    this.maxOutputs = maxOutputs;
    this.attributes = List.of(attrs);
  }

  /** The {@code op_type} written into the node. */
  public String onnxName() {
    return onnxName;
  }

  /** The first opset this operator exists in (never below {@link #MIN_OPSET}). */
  public int since() {
    return since;
  }

  public int minInputs() {
    return minInputs;
  }

  /**
   * The most inputs a caller passes ({@link Integer#MAX_VALUE} for variadic operators). For
   * operators whose {@code axes} moved to an input, this counts the attribute form.
   */
  public int maxInputs() {
    return maxInputs;
  }

  public int maxOutputs() {
    return maxOutputs;
  }

  /** The attribute names this operator accepts (at some opset, see {@link #attributeSince}). */
  public List<String> attributes() {
    return attributes;
  }

  /** The first opset where {@code axes} is an input rather than an attribute; 0 if never moves. */
  public int axesInputSince() {
    return switch (this) {
      case UNSQUEEZE, SQUEEZE, REDUCE_SUM -> 13;
      case REDUCE_MEAN, REDUCE_MAX -> 18;
      default -> 0;
    };
  }

  /** The first opset where this operator accepts the given attribute (one of {@link #attributes}). */
  public int attributeSince(String attribute) {
    return switch (this) {
      case RESHAPE -> 14; // allowzero
      case SHAPE -> 15; // start, end
      case REDUCE_SUM -> attribute.equals("noop_with_empty_axes") ? 13 : since;
      case CONSTANT -> attribute.equals("value") ? since : 12;
      default -> since;
    };
  }
}
