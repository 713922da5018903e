package io.distillery.export.student;

import io.distillery.export.graph.ContribOp;
import io.distillery.export.graph.Dim;
import io.distillery.export.graph.ElemType;
import io.distillery.export.graph.OnnxGraph;
import io.distillery.export.graph.OnnxModels;
import io.distillery.export.graph.Op;
import io.distillery.export.graph.Ref;
import io.distillery.export.onnx.OnnxProto.ModelProto;
import io.distillery.export.transformer.OrtFusedStackWriter;
import io.distillery.export.transformer.TransformerBlockWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Writes a trained student as one ONNX graph with the text-classification signature the teacher
 * has (and Hugging Face Optimum exports): inputs {@code input_ids}, {@code attention_mask},
 * {@code token_type_ids} (int64 {@code [batch, sequence]}), output {@code logits} (float {@code
 * [batch, L]}). {@code token_type_ids} is declared and never read, so any pipeline that feeds it
 * works; ONNX allows a graph input no node consumes.
 *
 * <pre>
 *   h      = Gather(word, ids) [· proj] + Gather(pos, Range(0, T))          [B, T, D]
 *   bias   = (Cast(mask) - 1) * 1e9, Unsqueeze to [B, 1, 1, T]
 *   layer  : h += attn(LN(h)); h += W2 gelu(W1 LN(h))                      (pre-LN)
 *   pooled = (mask[B,1,T] · LN_f(h)) / max(sum(mask), 1)                   [B, D]
 *   logits = pooled · Wc + bc                                              [B, L]
 * </pre>
 *
 * The DJL student computes the same ops in the same order, so the two agree to float rounding.
 * Opset {@value #OPSET} (LayerNormalization), IR 8.
 */
public final class StudentExporter {
  public static final int OPSET = 17;
  public static final String INPUT_IDS = "input_ids";
  public static final String ATTENTION_MASK = "attention_mask";
  public static final String TOKEN_TYPE_IDS = "token_type_ids";
  public static final String LOGITS = "logits";
  /** Layer-norm epsilon of the student (DJL and ONNX). */
  public static final float LN_EPS = TransformerBlockWriter.LN_EPS;
  /** Masked attention scores get {@code -MASK_SCALE} added (DJL and ONNX). */
  public static final float MASK_SCALE = TransformerBlockWriter.MASK_SCALE;
  /** The floor of a row's token count in mean pooling (an all-padding row gives 0, not NaN). */
  public static final float MIN_COUNT = 1f;
  /** The {@link ContribOp#METADATA_KEY} value of a fused student. */
  public static final String ORT_FUSED_VALUE =
      "com.microsoft Attention, SkipLayerNormalization, BiasGelu: runs on ONNX Runtime only";

  private StudentExporter() {}

  /**
   * Builds the model and writes it atomically.
   *
   * @param metadata extra {@code metadata_props} (provenance: config, teacher hash, git SHA...)
   */
  public static void export(StudentWeights weights, Map<String, String> metadata, Path modelOnnx) {
    OnnxModels.write(build(weights, metadata), modelOnnx);
  }

  /** Builds the model with standard ops only; see the class comment for the graph. */
  public static ModelProto build(StudentWeights weights, Map<String, String> metadata) {
    return build(weights, metadata, false);
  }

  /**
   * Builds the model; see the class comment for the graph.
   *
   * @param ortFused write the encoder with ONNX Runtime's fused contrib kernels ({@link
   *     OrtFusedStackWriter}): same function and signature, fewer and larger kernels, but a file
   *     only ONNX Runtime runs
   */
  public static ModelProto build(StudentWeights weights, Map<String, String> metadata,
      boolean ortFused) {
    StudentArchitecture arch = weights.architecture();
    OnnxGraph g = new OnnxGraph("student", OPSET);
    Dim batch = Dim.of("batch");
    Dim seq = Dim.of("sequence");
    Ref ids = g.input(INPUT_IDS, ElemType.INT64, batch, seq);
    Ref mask = g.input(ATTENTION_MASK, ElemType.INT64, batch, seq);
    g.input(TOKEN_TYPE_IDS, ElemType.INT64, batch, seq); // accepted, unused
    Map<String, Ref> w = new HashMap<>();
    weights.tensors().forEach((name, t) -> {
      Ref r = g.initializer(name, t.values(), t.shape());
      if (!r.name().equals(name)) {
        throw new IllegalStateException("initializer renamed: " + name + " -> " + r.name());
      }
      w.put(name, r);
    });

    Ref tok = w.get(StudentArchitecture.WORD_EMBEDDINGS).apply(Op.GATHER, ids); // [B, T, E|D]
    if (arch.factorised()) {
      tok = tok.apply(Op.MATMUL, w.get(StudentArchitecture.WORD_PROJECTION)); // [B, T, D]
    }
    Ref seqLen = ids.apply(Op.SHAPE, Map.of("start", 1L, "end", 2L))
        .apply(Op.SQUEEZE, Map.of("axes", new long[] {0})); // scalar T
    Ref positions = g.initializer("position_start", new long[] {0})
        .apply(Op.RANGE, seqLen, g.initializer("position_step", new long[] {1})); // [T]
    Ref pos = w.get(StudentArchitecture.POSITION_EMBEDDINGS).apply(Op.GATHER, positions); // [T, D]
    Ref maskF = mask.apply(Op.CAST, Map.of("to", ElemType.FLOAT)); // [B, T]
    Ref finalGamma = w.get(StudentArchitecture.FINAL_NORM_WEIGHT);
    Ref finalBeta = w.get(StudentArchitecture.FINAL_NORM_BIAS);
    Ref normed; // [B, T, D]
    if (ortFused) {
      List<String> prefixes = new ArrayList<>();
      for (int i = 0; i < arch.layers(); i++) {
        prefixes.add(StudentArchitecture.layerPrefix(i));
      }
      normed = OrtFusedStackWriter.bidirectional(arch.width(), arch.heads(),
              StudentArchitecture.BLOCK_WEIGHTS, mask)
          .write(tok, pos, w, prefixes, finalGamma, finalBeta);
    } else {
      Ref h = tok.apply(Op.ADD, pos); // [B, T, D]
      Ref bias = TransformerBlockWriter.maskBias(g, maskF)
          .apply(Op.UNSQUEEZE, Map.of("axes", new long[] {1, 2})); // [B, 1, 1, T]
      TransformerBlockWriter blocks = new TransformerBlockWriter(g, arch.width(), arch.heads(),
          StudentArchitecture.BLOCK_WEIGHTS);
      for (int i = 0; i < arch.layers(); i++) {
        h = blocks.write(h, bias, w, StudentArchitecture.layerPrefix(i));
      }
      normed = TransformerBlockWriter.layerNorm(h, finalGamma, finalBeta);
    }

    Ref rowMask = maskF.apply(Op.UNSQUEEZE, Map.of("axes", new long[] {1})); // [B, 1, T]
    Ref count = maskF.apply(Op.REDUCE_SUM, Map.of("axes", new long[] {1}, "keepdims", 1L))
        .apply(Op.MAX, g.scalar("min_count", MIN_COUNT)); // [B, 1]
    Ref pooled = rowMask.apply(Op.MATMUL, normed)
        .apply(Op.SQUEEZE, Map.of("axes", new long[] {1})) // [B, D]
        .apply(Op.DIV, count);
    Ref logits = pooled.apply(Op.MATMUL, w.get(StudentArchitecture.CLASSIFIER_WEIGHT))
        .apply(Op.ADD, w.get(StudentArchitecture.CLASSIFIER_BIAS)); // [B, L]
    g.output(logits, LOGITS, ElemType.FLOAT, batch, Dim.of(arch.numLabels()));

    g.metadata("distillery.model", "student-encoder-classifier");
    g.metadata("distillery.signature", "text-classification");
    g.metadata(StudentWeights.ARCHITECTURE_KEY, arch.summary());
    g.metadata("distillery.parameters", Long.toString(arch.parameterCount()));
    g.metadata("distillery.exporter", StudentExporter.class.getName() + " opset " + OPSET
        + (ortFused ? " + " + ContribOp.DOMAIN + " fused kernels" : ""));
    if (ortFused) {
      g.metadata(ContribOp.METADATA_KEY, ORT_FUSED_VALUE);
    }
    metadata.forEach(g::metadata);
    return g.toModel();
  }
}
