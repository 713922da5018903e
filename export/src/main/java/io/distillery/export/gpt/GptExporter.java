package io.distillery.export.gpt;

import io.distillery.export.ExportException;
import io.distillery.export.graph.ContribOp;
import io.distillery.export.graph.Dim;
import io.distillery.export.graph.ElemType;
import io.distillery.export.graph.OnnxGraph;
import io.distillery.export.graph.OnnxModels;
import io.distillery.export.graph.Op;
import io.distillery.export.graph.Ref;
import io.distillery.export.graph.Tensors;
import io.distillery.export.onnx.OnnxProto.GraphProto;
import io.distillery.export.onnx.OnnxProto.ModelProto;
import io.distillery.export.onnx.OnnxProto.NodeProto;
import io.distillery.export.transformer.OrtFusedStackWriter;
import io.distillery.export.transformer.TransformerBlockWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Writes a GPT-2-layout decoder as one ONNX graph with the Hugging Face Optimum
 * {@code text-generation-with-past} signature, so Distillery's generator and a user's exported
 * GPT-2 take the same code path.
 *
 * <p>Inputs: {@code input_ids}, {@code attention_mask}, {@code position_ids} (int64; the mask
 * covers past + new positions, {@code [B, P + T]}), {@code past_key_values.{i}.key|value} (float
 * {@code [B, H, P, D]}, P may be 0). Outputs: {@code logits} {@code [B, T, V]} and
 * {@code present.{i}.key|value} {@code [B, H, P + T, D]}. The same graph serves the first step
 * (empty past) and every later one. Attention adds {@code (causal * mask - 1) * 1e9} to the
 * scores, exactly as the DJL model does, so the two agree to float rounding.
 */
public final class GptExporter {
  /** The opset written: LayerNormalization exists from 17, the newest the Debian checker knows. */
  public static final int OPSET = 17;
  /** The {@link ContribOp#METADATA_KEY} value of a fused generator. */
  public static final String ORT_FUSED_VALUE = "com.microsoft MultiHeadAttention,"
      + " SkipLayerNormalization, BiasGelu: runs on ONNX Runtime only";

  private GptExporter() {}

  public static String pastKey(int layer) {
    return "past_key_values." + layer + ".key";
  }

  public static String pastValue(int layer) {
    return "past_key_values." + layer + ".value";
  }

  public static String presentKey(int layer) {
    return "present." + layer + ".key";
  }

  public static String presentValue(int layer) {
    return "present." + layer + ".value";
  }

  /** Builds (with the KV cache) and writes the model atomically. */
  public static void export(GptArchitecture arch, Map<String, WeightTensor> weights,
      Map<String, String> metadata, Path file) {
    OnnxModels.write(build(arch, weights, metadata), file);
  }

  /**
   * Builds the model.
   *
   * @param weights every name of {@link GptArchitecture#weightShapes()} with that shape (extra
   *     names are ignored)
   * @param metadata extra {@code metadata_props} (recipe, corpus hash, git SHA...)
   * @throws ExportException naming the weight that is missing or has the wrong shape
   */
  public static ModelProto build(
      GptArchitecture arch, Map<String, WeightTensor> weights, Map<String, String> metadata) {
    return build(arch, weights, metadata, true);
  }

  /**
   * Builds the model with the KV cache ({@code withCache}) or without: then the graph takes only
   * {@code input_ids}, {@code attention_mask} and {@code position_ids} and returns only
   * {@code logits} (the Optimum {@code text-generation} signature), and generation recomputes
   * the whole sequence each step.
   */
  public static ModelProto build(GptArchitecture arch, Map<String, WeightTensor> weights,
      Map<String, String> metadata, boolean withCache) {
    return build(arch, weights, metadata, withCache, false);
  }

  /**
   * Builds the model; with {@code ortFused} (and the cache) its blocks are written with ONNX
   * Runtime's fused kernels ({@link OrtFusedStackWriter#causal}: MultiHeadAttention over the
   * cache, SkipLayerNormalization, BiasGelu): same inputs, outputs and function, fewer kernels a
   * step, a file only ONNX Runtime runs.
   */
  public static ModelProto build(GptArchitecture arch, Map<String, WeightTensor> weights,
      Map<String, String> metadata, boolean withCache, boolean ortFused) {
    if (ortFused && !withCache) {
      throw new ExportException("GPT export: the fused graph is written with the KV cache only");
    }
    Map<String, long[]> shapes = arch.weightShapes();
    for (Map.Entry<String, long[]> e : shapes.entrySet()) {
      WeightTensor w = weights.get(e.getKey());
      if (w == null) {
        throw new ExportException("GPT export: no weight named '" + e.getKey() + "' (expected shape "
            + Arrays.toString(e.getValue()) + ")");
      }
      if (!Arrays.equals(w.shape(), e.getValue())) {
        throw new ExportException("GPT export: weight '" + e.getKey() + "' has shape "
            + w.shapeText() + ", expected " + Arrays.toString(e.getValue()));
      }
    }
    OnnxGraph g = new OnnxGraph("gpt", OPSET);
    Dim batch = Dim.of("batch_size");
    Dim seq = Dim.of("sequence_length");
    Dim past = Dim.of("past_sequence_length");
    Dim total = Dim.of("past_sequence_length + sequence_length");
    Dim heads = Dim.of(arch.heads());
    Dim headDim = Dim.of(arch.headDim());
    Ref ids = g.input("input_ids", ElemType.INT64, batch, seq);
    Ref mask = g.input("attention_mask", ElemType.INT64, batch, total);
    Ref positions = g.input("position_ids", ElemType.INT64, batch, seq);
    Ref[] pastKeys = new Ref[arch.layers()];
    Ref[] pastValues = new Ref[arch.layers()];
    for (int i = 0; withCache && i < arch.layers(); i++) {
      pastKeys[i] = g.input(pastKey(i), ElemType.FLOAT, batch, heads, past, headDim);
      pastValues[i] = g.input(pastValue(i), ElemType.FLOAT, batch, heads, past, headDim);
    }
    Map<String, Ref> w = new LinkedHashMap<>();
    for (Map.Entry<String, long[]> e : shapes.entrySet()) {
      Ref r = g.initializer(e.getKey(), weights.get(e.getKey()).values(), e.getValue());
      if (!r.name().equals(e.getKey())) {
        throw new IllegalStateException("initializer renamed: " + e.getKey() + " -> " + r.name());
      }
      w.put(e.getKey(), r);
    }

    Ref tok = w.get("transformer.wte.weight").apply(Op.GATHER, ids); // [B, T, C]
    Ref pos = w.get("transformer.wpe.weight").apply(Op.GATHER, positions); // [B, T, C]
    Ref bias = attentionBias(g, ids, mask); // [B, 1, T, S]
    Ref[] presentKeys = new Ref[arch.layers()];
    Ref[] presentValues = new Ref[arch.layers()];
    Ref normed;
    if (ortFused) {
      List<String> prefixes = new ArrayList<>();
      for (int i = 0; i < arch.layers(); i++) {
        prefixes.add(GptArchitecture.blockPrefix(i));
      }
      OrtFusedStackWriter stack = OrtFusedStackWriter.causal(arch.width(), arch.heads(),
          GptArchitecture.BLOCK_WEIGHTS, bias, Arrays.asList(pastKeys), Arrays.asList(pastValues));
      normed = stack.write(tok, pos, w, prefixes, w.get("transformer.ln_f.weight"),
          w.get("transformer.ln_f.bias"));
      stack.presentKeys().toArray(presentKeys);
      stack.presentValues().toArray(presentValues);
    } else {
      Ref h = tok.apply(Op.ADD, pos);
      TransformerBlockWriter blocks =
          new TransformerBlockWriter(g, arch.width(), arch.heads(), GptArchitecture.BLOCK_WEIGHTS);
      for (int i = 0; i < arch.layers(); i++) {
        TransformerBlockWriter.Output out =
            blocks.write(h, bias, w, GptArchitecture.blockPrefix(i), pastKeys[i], pastValues[i]);
        h = out.hidden();
        presentKeys[i] = out.key();
        presentValues[i] = out.value();
      }
      normed = TransformerBlockWriter.layerNorm(
          h, w.get("transformer.ln_f.weight"), w.get("transformer.ln_f.bias"));
    }
    Ref wteT = w.get("transformer.wte.weight").apply(Op.TRANSPOSE, Map.of("perm", new long[] {1, 0}));
    Ref logits = normed.apply(Op.MATMUL, wteT); // [B, T, V]

    g.output(logits, "logits", ElemType.FLOAT, batch, seq, Dim.of(arch.vocab()));
    for (int i = 0; withCache && i < arch.layers(); i++) {
      g.output(presentKeys[i], presentKey(i), ElemType.FLOAT, batch, heads, total, headDim);
      g.output(presentValues[i], presentValue(i), ElemType.FLOAT, batch, heads, total, headDim);
    }
    g.metadata("distillery.model", "gpt-decoder");
    g.metadata("distillery.signature",
        withCache ? "text-generation-with-past" : "text-generation");
    g.metadata("distillery.architecture", "layers=" + arch.layers() + ",width=" + arch.width()
        + ",heads=" + arch.heads() + ",context=" + arch.context() + ",vocab=" + arch.vocab());
    g.metadata("distillery.exporter", GptExporter.class.getName() + " opset " + OPSET
        + (ortFused ? " + " + ContribOp.DOMAIN + " fused kernels" : ""));
    metadata.forEach(g::metadata);
    if (ortFused) {
      g.metadata(ContribOp.METADATA_KEY, ORT_FUSED_VALUE);
    }
    return withoutOutputCopies(g.toModel());
  }

  /**
   * Removes the Identity nodes that only rename a value to a graph output name, by giving the
   * producing node's output that name: ONNX Runtime copies through an Identity, and copying every
   * layer's keys/values each step costs measurable time.
   */
  static ModelProto withoutOutputCopies(ModelProto model) {
    ModelProto.Builder m = model.toBuilder();
    GraphProto.Builder g = m.getGraphBuilder();
    Set<String> outputs = new HashSet<>();
    g.getOutputList().forEach(o -> outputs.add(o.getName()));
    Set<String> graphInputs = new HashSet<>();
    g.getInputList().forEach(i -> graphInputs.add(i.getName()));
    g.getInitializerList().forEach(i -> graphInputs.add(i.getName()));
    Map<String, String> rename = new HashMap<>();
    List<NodeProto> kept = new ArrayList<>();
    for (NodeProto n : g.getNodeList()) {
      boolean copy = n.getOpType().equals("Identity") && outputs.contains(n.getOutput(0))
          && !graphInputs.contains(n.getInput(0)) && !outputs.contains(n.getInput(0))
          && !rename.containsKey(n.getInput(0));
      if (copy) {
        rename.put(n.getInput(0), n.getOutput(0));
      } else {
        kept.add(n);
      }
    }
    g.clearNode();
    for (NodeProto n : kept) {
      NodeProto.Builder b = n.toBuilder();
      for (int i = 0; i < b.getInputCount(); i++) {
        b.setInput(i, rename.getOrDefault(b.getInput(i), b.getInput(i)));
      }
      for (int i = 0; i < b.getOutputCount(); i++) {
        b.setOutput(i, rename.getOrDefault(b.getOutput(i), b.getOutput(i)));
      }
      g.addNode(b);
    }
    return m.build();
  }

  /**
   * {@code (Trilu(ones[T, S], k = S - T) * mask[B, 1, 1, S] - 1) * 1e9}: 0 where new token i
   * (absolute position P + i) may attend key j (j <= P + i and not padding), else -1e9.
   */
  private static Ref attentionBias(OnnxGraph g, Ref ids, Ref mask) {
    Ref t = ids.apply(Op.SHAPE, Map.of("start", 1L, "end", 2L)); // [1] = T
    Ref s = mask.apply(Op.SHAPE, Map.of("start", 1L, "end", 2L)); // [1] = S = P + T
    Ref ones = t.apply(Op.CONCAT, Map.of("axis", 0L), s)
        .apply(Op.CONSTANT_OF_SHAPE, Map.of("value", Tensors.floats("one", new float[] {1f}, 1)));
    Ref pastLen = s.apply(Op.SUB, t).apply(Op.SQUEEZE, Map.of("axes", new long[] {0})); // scalar P
    Ref causal = ones.apply(Op.TRILU, Map.of("upper", 0L), pastLen); // [T, S]
    Ref pad = mask.apply(Op.CAST, Map.of("to", ElemType.FLOAT))
        .apply(Op.UNSQUEEZE, Map.of("axes", new long[] {1, 2})); // [B, 1, 1, S]
    return TransformerBlockWriter.maskBias(g, causal.apply(Op.MUL, pad)); // [B, 1, T, S]
  }
}
