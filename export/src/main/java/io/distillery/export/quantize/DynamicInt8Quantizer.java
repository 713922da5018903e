package io.distillery.export.quantize;

import io.distillery.core.BadInputException;
import io.distillery.export.gpt.OnnxInitializers;
import io.distillery.export.gpt.WeightTensor;
import io.distillery.export.graph.ContribOp;
import io.distillery.export.graph.ElemType;
import io.distillery.export.graph.OnnxGraph;
import io.distillery.export.graph.Op;
import io.distillery.export.graph.Tensors;
import io.distillery.export.onnx.OnnxProto.AttributeProto;
import io.distillery.export.onnx.OnnxProto.GraphProto;
import io.distillery.export.onnx.OnnxProto.ModelProto;
import io.distillery.export.onnx.OnnxProto.NodeProto;
import io.distillery.export.onnx.OnnxProto.StringStringEntryProto;
import io.distillery.export.onnx.OnnxProto.TensorProto;
import io.distillery.export.onnx.OnnxProto.ValueInfoProto;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Dynamic int8 quantisation of an fp32 model's weights, as a model-to-model pass in the default
 * ONNX domain (so the ONNX checker and any runtime accept the result):
 *
 * <pre>
 *   MatMul(x, W[K, N])  →  (xq, xs, xz) = DynamicQuantizeLinear(x)              uint8, per tensor
 *                          y = Cast(MatMulInteger(xq, Wq, xz), float) * (xs * Ws)  Wq int8, Ws [N]
 *   Gather(E[V, D], ids) → y = Cast(Gather(Eq, ids), float) * Gather(Es[V, 1], ids)  Es per row
 * </pre>
 *
 * Weights are symmetric int8 with one scale per output channel ({@link Int8Matrix}). ONNX Runtime
 * fuses each rewritten MatMul, with the bias Add after it, into one {@code DynamicQuantizeMatMul}
 * kernel (its MatMulIntegerToFloat and DynamicQuantizeMatMul fusions match exactly this shape:
 * one DynamicQuantizeLinear per MatMul, the scale product as {@code Mul(xs, Ws)}). A weight is
 * rewritten only when it is a 2-D float initializer that one node reads, and a table only when it
 * has at least {@value #MIN_TABLE_ROWS} rows (a vocabulary: a position table saves little and
 * costs three more nodes per call). A tied output head, {@code MatMul(x, Transpose(E))} with E
 * also read by the embedding Gather (a GPT's logits), gets its own int8 copy of E transposed and
 * E stays fp32 for the lookup. In a graph with ONNX Runtime's fused kernels, an {@code
 * Attention} node's projection becomes int8 through its contrib twin {@code QAttention} (same
 * dynamic scheme). Everything else (the attention's activation-by-activation MatMuls, biases,
 * layer norms) stays fp32.
 */
public final class DynamicInt8Quantizer {
  /** The {@code metadata_props} key saying how a model was quantised. */
  public static final String METADATA_KEY = "distillery.quantization";
  public static final String METADATA_VALUE = "int8 dynamic: MatMul weights symmetric int8 per"
      + " output channel, activations uint8 per tensor (DynamicQuantizeLinear + MatMulInteger);"
      + " embedding tables int8 per row";

  /** The fewest rows an embedding table needs to be quantised. */
  public static final int MIN_TABLE_ROWS = 1024;

  /** The quantised model and what was rewritten. */
  public record Result(ModelProto model, int matMuls, int gathers, long fp32WeightBytes,
      long int8WeightBytes) {}

  private final GraphProto source;
  private final Map<String, WeightTensor> floats;
  private final Set<String> taken = new HashSet<>();
  private final GraphProto.Builder out;
  private final Set<String> replaced = new HashSet<>();
  private int matMuls;
  private int gathers;
  private long fp32Bytes;
  private long int8Bytes;

  private DynamicInt8Quantizer(ModelProto model, Path sourceFile) {
    this.source = model.getGraph();
    this.floats = OnnxInitializers.readFloats(model, sourceFile);
    this.out = source.toBuilder().clearNode();
    source.getInputList().forEach(v -> taken.add(v.getName()));
    source.getInitializerList().forEach(t -> taken.add(t.getName()));
    source.getValueInfoList().forEach(v -> taken.add(v.getName()));
    for (NodeProto n : source.getNodeList()) {
      taken.add(n.getName());
      taken.addAll(n.getOutputList());
    }
  }

  /**
   * Quantises every MatMul whose second input, and every Gather (axis 0) whose data, is a 2-D
   * float initializer read by that node alone (tables of at least {@value #MIN_TABLE_ROWS} rows).
   *
   * @param sourceFile names the model in errors
   * @throws BadInputException if nothing in the model can be quantised, or it is already int8
   */
  public static Result quantize(ModelProto model, Path sourceFile) {
    for (StringStringEntryProto e : model.getMetadataPropsList()) {
      if (e.getKey().equals(METADATA_KEY)) {
        throw BadInputException.of(sourceFile, "already quantised (" + METADATA_KEY + " = "
            + e.getValue() + "); quantise the fp32 model");
      }
    }
    if (OnnxGraph.defaultOpset(model) < Op.DYNAMIC_QUANTIZE_LINEAR.since()) {
      throw BadInputException.of(sourceFile, "opset " + OnnxGraph.defaultOpset(model)
          + ", int8 export needs opset >= " + Op.DYNAMIC_QUANTIZE_LINEAR.since());
    }
    DynamicInt8Quantizer q = new DynamicInt8Quantizer(model, sourceFile);
    q.rewrite();
    if (q.matMuls + q.gathers == 0) {
      throw BadInputException.of(sourceFile, "no MatMul or Gather reads a 2-D float weight;"
          + " nothing to quantise (expected an fp32 model such as an exported student)");
    }
    ModelProto.Builder m = model.toBuilder().setGraph(q.out);
    m.addMetadataProps(
        StringStringEntryProto.newBuilder().setKey(METADATA_KEY).setValue(METADATA_VALUE));
    return new Result(m.build(), q.matMuls, q.gathers, q.fp32Bytes, q.int8Bytes);
  }

  private void rewrite() {
    Map<String, Integer> reads = new HashMap<>();
    for (NodeProto n : source.getNodeList()) {
      n.getInputList().forEach(i -> reads.merge(i, 1, Integer::sum));
    }
    source.getOutputList().forEach(v -> reads.merge(v.getName(), 1, Integer::sum));
    Map<String, String> transposed = transposedHeads(reads);
    for (NodeProto n : source.getNodeList()) {
      if (isTranspose(n) && transposed.containsKey(n.getOutput(0))) {
        continue; // its MatMul reads an int8 copy of the transposed table instead
      }
      if (n.getOpType().equals(Op.MATMUL.onnxName()) && n.getDomain().isEmpty()
          && transposed.containsKey(n.getInput(1))) {
        WeightTensor w = floats.get(transposed.get(n.getInput(1)));
        int rows = (int) w.shape()[0];
        int cols = (int) w.shape()[1];
        float[] t = new float[rows * cols];
        for (int r = 0; r < rows; r++) {
          for (int c = 0; c < cols; c++) {
            t[c * rows + r] = w.values()[r * cols + c];
          }
        }
        // the table itself stays fp32 for the other nodes that read it (the embedding lookup)
        matMul(n, Int8Matrix.perColumn(t, cols, rows), transposed.get(n.getInput(1)) + "_T", false);
      } else if (n.getOpType().equals(Op.MATMUL.onnxName()) && n.getDomain().isEmpty()
          && quantisable(n.getInput(1), reads) && !floats.containsKey(n.getInput(0))) {
        WeightTensor w = floats.get(n.getInput(1));
        matMul(n, Int8Matrix.perColumn(w.values(), (int) w.shape()[0], (int) w.shape()[1]),
            n.getInput(1), true);
      } else if (isFusedAttention(n) && quantisable(n.getInput(1), reads)) {
        attention(n);
      } else if (n.getOpType().equals(Op.GATHER.onnxName()) && n.getDomain().isEmpty()
          && axis(n) == 0 && quantisable(n.getInput(0), reads)
          && floats.get(n.getInput(0)).shape()[0] >= MIN_TABLE_ROWS) {
        gather(n);
      } else {
        out.addNode(n);
      }
    }
    List<TensorProto> kept = out.getInitializerList().stream()
        .filter(t -> !replaced.contains(t.getName())).toList();
    out.clearInitializer().addAllInitializer(kept);
    List<ValueInfoProto> inputs = out.getInputList().stream()
        .filter(v -> !replaced.contains(v.getName())).toList();
    out.clearInput().addAllInput(inputs); // IR < 4 lists initializers as inputs too
  }

  /**
   * Tied output heads: {@code MatMul(x, Transpose(E, perm [1, 0]))} with E a 2-D float initializer
   * that other nodes also read (a GPT's token table, looked up by Gather and multiplied for the
   * logits). Maps each such Transpose output, read by that MatMul alone, to E.
   */
  private Map<String, String> transposedHeads(Map<String, Integer> reads) {
    Map<String, String> candidates = new HashMap<>();
    for (NodeProto n : source.getNodeList()) {
      WeightTensor w = isTranspose(n) ? floats.get(n.getInput(0)) : null;
      if (w != null && w.shape().length == 2 && reads.getOrDefault(n.getOutput(0), 0) == 1
          && Arrays.equals(perm(n), new long[] {1, 0})) {
        candidates.put(n.getOutput(0), n.getInput(0));
      }
    }
    Map<String, String> heads = new HashMap<>();
    for (NodeProto n : source.getNodeList()) {
      if (n.getOpType().equals(Op.MATMUL.onnxName()) && n.getDomain().isEmpty()
          && candidates.containsKey(n.getInput(1)) && !floats.containsKey(n.getInput(0))) {
        heads.put(n.getInput(1), candidates.get(n.getInput(1)));
      }
    }
    return heads;
  }

  private static boolean isTranspose(NodeProto n) {
    return n.getOpType().equals(Op.TRANSPOSE.onnxName()) && n.getDomain().isEmpty();
  }

  private static long[] perm(NodeProto n) {
    return n.getAttributeList().stream().filter(a -> a.getName().equals("perm")).findFirst()
        .map(a -> a.getIntsList().stream().mapToLong(Long::longValue).toArray())
        .orElse(new long[0]);
  }

  private boolean quantisable(String name, Map<String, Integer> reads) {
    WeightTensor w = floats.get(name);
    return w != null && w.shape().length == 2 && reads.getOrDefault(name, 0) == 1;
  }

  /**
   * MatMul(x, W) → DynamicQuantizeLinear, MatMulInteger, Cast, Mul(xs, Ws), Mul, with {@code q}
   * the int8 W; {@code replaces}: the fp32 weight {@code weightName} goes (nothing else reads it).
   */
  private void matMul(NodeProto n, Int8Matrix q, String weightName, boolean replaces) {
    String weights = addInt8(weightName, q, new long[] {q.rows(), q.cols()}, replaces);
    String scales = addScales(weightName, q.scales(), q.cols());
    String base = n.getName().isEmpty() ? n.getInput(1) : n.getName();
    List<String> x = quantizeInput(n.getInput(0), base);
    String xq = x.get(0);
    String xs = x.get(1);
    String xz = x.get(2);
    String acc = fresh(base + "_int32");
    node(Op.MATMUL_INTEGER, base + "_int8", List.of(xq, weights, xz), List.of(acc));
    String accF = fresh(base + "_int32_float");
    out.addNode(newNode(Op.CAST, base + "_cast", List.of(acc), List.of(accF))
        .addAttribute(AttributeProto.newBuilder().setName("to").setType(AttributeProto.AttributeType.INT)
            .setI(ElemType.FLOAT.code())));
    String scale = fresh(base + "_scale");
    node(Op.MUL, base + "_scale", List.of(xs, scales), List.of(scale)); // [N]
    node(Op.MUL, base + "_rescale", List.of(accF, scale), List.of(n.getOutput(0)));
    matMuls++;
  }

  /**
   * ONNX Runtime's fused {@code Attention(x, W, b[, mask])} (a student exported with {@code
   * --ort-fused}), whose only weight is the query/key/value projection.
   */
  private static boolean isFusedAttention(NodeProto n) {
    return n.getOpType().equals(ContribOp.ATTENTION.onnxName())
        && n.getDomain().equals(ContribOp.DOMAIN) && n.getInputCount() >= 3
        && n.getInputCount() <= 4 && !n.getInput(2).isEmpty();
  }

  /**
   * Attention(x, W, b, mask) → (xq, xs, xz) = DynamicQuantizeLinear(x); QAttention(xq, Wq, b, xs,
   * Ws, mask, xz): its contrib twin with the projection in int8 (per output column), the attention
   * itself in fp32, same attributes.
   */
  private void attention(NodeProto n) {
    WeightTensor w = floats.get(n.getInput(1));
    Int8Matrix q = Int8Matrix.perColumn(w.values(), (int) w.shape()[0], (int) w.shape()[1]);
    String weights = addInt8(n.getInput(1), q, new long[] {q.rows(), q.cols()}, true);
    String scales = addScales(n.getInput(1), q.scales(), q.cols());
    String base = n.getName().isEmpty() ? n.getInput(1) : n.getName();
    List<String> x = quantizeInput(n.getInput(0), base); // xq, xs, xz
    String mask = n.getInputCount() > 3 ? n.getInput(3) : "";
    out.addNode(NodeProto.newBuilder().setName(fresh(base + "_int8")).setOpType("QAttention")
        .setDomain(ContribOp.DOMAIN).addAllAttribute(n.getAttributeList())
        .addAllInput(List.of(x.get(0), weights, n.getInput(2), x.get(1), scales, mask, x.get(2)))
        .addAllOutput(n.getOutputList()));
    matMuls++;
  }

  /**
   * {@code DynamicQuantizeLinear(input)}: the names of its uint8 values, scale and zero point (one
   * per rewritten node, the form ONNX Runtime's int8 fusions match).
   */
  private List<String> quantizeInput(String input, String base) {
    String xq = fresh(base + "_x_int8");
    String xs = fresh(base + "_x_scale");
    String xz = fresh(base + "_x_zero_point");
    node(Op.DYNAMIC_QUANTIZE_LINEAR, base + "_quantize", List.of(input), List.of(xq, xs, xz));
    return List.of(xq, xs, xz);
  }

  /** Gather(E, ids) → Cast(Gather(Eq, ids)) * Gather(Es, ids). */
  private void gather(NodeProto n) {
    WeightTensor w = floats.get(n.getInput(0));
    Int8Matrix q = Int8Matrix.perRow(w.values(), (int) w.shape()[0], (int) w.shape()[1]);
    String table = addInt8(n.getInput(0), q, new long[] {q.rows(), q.cols()}, true);
    String scales = addScales(n.getInput(0), q.scales(), q.rows(), 1);
    String base = n.getName().isEmpty() ? n.getInput(0) : n.getName();
    String rows = fresh(base + "_int8_rows");
    node(Op.GATHER, base + "_int8", List.of(table, n.getInput(1)), List.of(rows));
    String rowsF = fresh(base + "_rows_float");
    out.addNode(newNode(Op.CAST, base + "_cast", List.of(rows), List.of(rowsF))
        .addAttribute(AttributeProto.newBuilder().setName("to").setType(AttributeProto.AttributeType.INT)
            .setI(ElemType.FLOAT.code())));
    String rowScales = fresh(base + "_row_scales");
    node(Op.GATHER, base + "_scales", List.of(scales, n.getInput(1)), List.of(rowScales));
    node(Op.MUL, base + "_rescale", List.of(rowsF, rowScales), List.of(n.getOutput(0)));
    gathers++;
  }

  private String addInt8(String weightName, Int8Matrix q, long[] dims, boolean replaces) {
    String name = fresh(weightName + "_int8");
    out.addInitializer(Tensors.int8s(name, q.values(), dims));
    if (replaces) {
      replaced.add(weightName);
      fp32Bytes += 4L * q.values().length;
    }
    int8Bytes += q.values().length + 4L * q.scales().length;
    return name;
  }

  private String addScales(String weightName, float[] scales, long... dims) {
    String name = fresh(weightName + "_scale");
    out.addInitializer(Tensors.floats(name, scales, dims));
    return name;
  }

  private void node(Op op, String name, List<String> in, List<String> outs) {
    out.addNode(newNode(op, name, in, outs));
  }

  private NodeProto.Builder newNode(Op op, String name, List<String> in, List<String> outs) {
    return NodeProto.newBuilder().setName(fresh(name)).setOpType(op.onnxName())
        .addAllInput(in).addAllOutput(outs);
  }

  private static long axis(NodeProto n) {
    return n.getAttributeList().stream().filter(a -> a.getName().equals("axis"))
        .mapToLong(AttributeProto::getI).findFirst().orElse(0);
  }

  /** {@code base}, or the first free {@code base_1, base_2...}, claimed. */
  private String fresh(String base) {
    String name = base;
    for (int i = 1; taken.contains(name); i++) {
      name = base + "_" + i;
    }
    taken.add(name);
    return name;
  }
}
