package io.distillery.export.graph;

import java.util.List;

/**
 * ONNX Runtime's own operators ({@value #DOMAIN} domain, version {@value #VERSION}) that Distillery
 * writes into graphs meant for ONNX Runtime only: each replaces a chain of standard ops by one
 * kernel, which matters most where a call is a few small kernels (a student at batch 1). Other
 * runtimes do not know them; the plain standard-op graph stays the default.
 *
 * <p>Semantics as ONNX Runtime's contrib operator schemas define them:
 *
 * <ul>
 *   <li>{@link #ATTENTION}: (x [B, T, in], W [in, 3D], b [3D], mask int32 [B, T] of 1/0) to
 *       multi-head self-attention [B, T, D] before the output projection; masked keys get
 *       {@code mask_filter_value} added to their scores.
 *   <li>{@link #MULTI_HEAD_ATTENTION}: (q, k, v [B, T, D], bias [3D], key padding mask, additive
 *       bias [B|1, H|1, T, P + T], past keys, past values [B, H, P, Dh]) to attention [B, T, D]
 *       and the keys and values with the new ones appended, [B, H, P + T, Dh] (outputs 1, 2).
 *   <li>{@link #SKIP_LAYER_NORMALIZATION}: (x, skip, gamma, beta, bias) to LayerNorm(x + skip +
 *       bias) (output 0) and, as output 3, the sum x + skip + bias (the pre-LN residual stream).
 *   <li>{@link #BIAS_GELU}: (x, bias) to exact (erf) GELU(x + bias).
 * </ul>
 */
public enum ContribOp {
  ATTENTION("Attention", 2, 7, 2, "num_heads", "mask_filter_value", "scale", "unidirectional"),
  MULTI_HEAD_ATTENTION("MultiHeadAttention", 1, 10, 4, "num_heads", "mask_filter_value", "scale",
      "unidirectional"),
  SKIP_LAYER_NORMALIZATION("SkipLayerNormalization", 3, 5, 4, "epsilon"),
  BIAS_GELU("BiasGelu", 2, 2, 1);

  public static final String DOMAIN = "com.microsoft";
  public static final int VERSION = 1;
  /**
   * The {@code metadata_props} key an exporter sets on a graph written with these kernels (its
   * value says which; such a file runs on ONNX Runtime only).
   */
  public static final String METADATA_KEY = "distillery.ort_fused";

  private final String onnxName;
  private final int minInputs;
  private final int maxInputs;
  private final int maxOutputs;
  private final List<String> attributes;

  ContribOp(String onnxName, int minInputs, int maxInputs, int maxOutputs, String... attributes) {
    this.onnxName = onnxName;
    this.minInputs = minInputs;
    this.maxInputs = maxInputs;
    this.maxOutputs = maxOutputs;
    this.attributes = List.of(attributes);
  }

  public String onnxName() {
    return onnxName;
  }

  public int minInputs() {
    return minInputs;
  }

  public int maxInputs() {
    return maxInputs;
  }

  /** Output slots the operator has (optional ones included). */
  public int maxOutputs() {
    return maxOutputs;
  }

  public List<String> attributes() {
    return attributes;
  }
}
