package io.distillery.runtime.generate;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import io.distillery.export.graph.Dim;
import io.distillery.export.graph.ElemType;
import io.distillery.export.graph.OnnxGraph;
import io.distillery.export.graph.Op;
import io.distillery.export.graph.Ref;
import io.distillery.export.onnx.OnnxProto.ModelProto;
import io.distillery.runtime.session.SessionConfig;
import io.distillery.runtime.session.SessionFactory;
import java.nio.LongBuffer;
import java.util.List;
import java.util.Map;

/**
 * Reduces a step's logits {@code [B, T, V]} to what choosing and scoring the next token needs, in
 * a small ONNX Runtime graph that reads the language model's output tensor where it lies: for the
 * last position of each row, the k best logits with their ids (best first, ties to the lower id,
 * as {@link TokenSampler#topK}; k = 1 for greedy decoding) and {@code log sum exp} over the
 * vocabulary.
 * ONNX Runtime's vectorised kernels do in 0.1 to 0.3 ms what the Java passes over the vocabulary
 * took about 1.4 ms for at batch 16 (copying the logits out, an exponential per vocabulary entry
 * and row), and Java only ever sees {@code B x k} numbers.
 *
 * <pre>
 *   x          = Squeeze(Slice(logits, last position))                         [B, V]
 *   m          = ReduceMax(x);  log_sum_exp = Log(ReduceSum(Exp(x - m))) + m   [B]
 *   top, ids   = TopK(x, k)                                                     [B, k]
 * </pre>
 *
 * (TopK with k = 1 measured faster than ArgMax, and Exp + ReduceSum several times faster than
 * ReduceLogSumExp, in ONNX Runtime 1.29 on this CPU.)
 *
 * It runs on one intra-op thread: a second pool spinning beside the language model's made
 * generation slower, not faster, on two cores.
 */
final class LogitsReducer implements AutoCloseable {
  static final String LOGITS = "logits";
  static final String K = "k";
  static final String LOG_SUM_EXP = "log_sum_exp";
  static final String TOP_VALUES = "top_values";
  static final String TOP_IDS = "top_ids";
  /** The names of {@link #appendedTo}'s extra input and outputs (unlike any exporter's names). */
  static final String IN_GRAPH_K = "distillery_top_k";
  static final String IN_GRAPH_LOG_SUM_EXP = "distillery_log_sum_exp";
  static final String IN_GRAPH_TOP_VALUES = "distillery_top_values";
  static final String IN_GRAPH_TOP_IDS = "distillery_top_ids";

  /** The reduced logits of B rows: row r's j-th best logit is {@code values[r * k + j]}. */
  record Reduced(int rows, int k, float[] values, long[] ids, float[] logSumExp) {}

  private final OrtSession session;

  LogitsReducer(SessionConfig config) {
    try {
      this.session = SessionFactory.openCpu(graph().toByteArray(), config.withIntraOpThreads(1));
    } catch (OrtException e) {
      throw new IllegalStateException("the logits reducer graph did not load: " + e.getMessage(),
          e);
    }
  }

  /** The reducer graph (opset 17), built in memory. */
  static ModelProto graph() {
    OnnxGraph g = new OnnxGraph("logits_reducer", 17);
    Ref logits = g.input(LOGITS, ElemType.FLOAT, Dim.of("batch"), Dim.of("positions"),
        Dim.of("vocab"));
    Ref k = g.input(K, ElemType.INT64, Dim.of(1));
    List<Ref> out = append(logits, k);
    g.output(out.get(0), LOG_SUM_EXP, ElemType.FLOAT, Dim.of("batch"));
    g.output(out.get(1), TOP_VALUES, ElemType.FLOAT, Dim.of("batch"), Dim.of("k"));
    g.output(out.get(2), TOP_IDS, ElemType.INT64, Dim.of("batch"), Dim.of("k"));
    return g.toModel();
  }

  /**
   * The language model with the reduction appended to its {@code logits}: input {@link #IN_GRAPH_K}
   * (int64 [1]) and outputs {@link #IN_GRAPH_LOG_SUM_EXP}, {@link #IN_GRAPH_TOP_VALUES}, {@link
   * #IN_GRAPH_TOP_IDS} beside its own, so one run of the model chooses the tokens (no second
   * session call, no copy of the logits out, and the reduction on the model's threads).
   *
   * @throws io.distillery.export.ExportException if the model's opset is outside 11..17
   */
  static ModelProto appendedTo(ModelProto lm) {
    OnnxGraph g = OnnxGraph.extend(lm, "distillery_scoring_");
    Ref k = g.input(IN_GRAPH_K, ElemType.INT64, Dim.of(1));
    List<Ref> out = append(g.value("logits"), k);
    g.output(out.get(0), IN_GRAPH_LOG_SUM_EXP, ElemType.FLOAT, Dim.of("batch"));
    g.output(out.get(1), IN_GRAPH_TOP_VALUES, ElemType.FLOAT, Dim.of("batch"), Dim.of("k"));
    g.output(out.get(2), IN_GRAPH_TOP_IDS, ElemType.INT64, Dim.of("batch"), Dim.of("k"));
    return g.toModel();
  }

  /** log-sum-exp {@code [B]}, top values and ids {@code [B, k]} of the last position. */
  private static List<Ref> append(Ref logits, Ref k) {
    OnnxGraph g = logits.graph();
    Ref x = logits.apply(Op.SLICE, g.vector("last_start", -1), g.vector("last_end", Long.MAX_VALUE),
            g.vector("position_axis", 1))
        .apply(Op.SQUEEZE, Map.of("axes", new long[] {1})); // [B, V]
    Ref max = x.apply(Op.REDUCE_MAX, Map.of("axes", new long[] {-1}, "keepdims", 1L)); // [B, 1]
    Ref lse = x.apply(Op.SUB, max).apply(Op.EXP)
        .apply(Op.REDUCE_SUM, Map.of("axes", new long[] {-1}, "keepdims", 0L))
        .apply(Op.LOG)
        .apply(Op.ADD, max.apply(Op.SQUEEZE, Map.of("axes", new long[] {1}))); // [B]
    List<Ref> top = g.apply(Op.TOPK, List.of(x, k),
        Map.of("axis", -1L, "largest", 1L, "sorted", 1L), 2);
    return List.of(lse, top.get(0), top.get(1));
  }

  /** The reduction read from a result of a model with it {@link #appendedTo}. */
  static Reduced read(OrtSession.Result r, int k) throws OrtException {
    return read(r, k, IN_GRAPH_TOP_VALUES, IN_GRAPH_TOP_IDS, IN_GRAPH_LOG_SUM_EXP);
  }

  private static Reduced read(OrtSession.Result r, int k, String values, String ids, String lse)
      throws OrtException {
    OnnxTensor v = (OnnxTensor) r.get(values).orElseThrow();
    int rows = (int) v.getInfo().getShape()[0];
    float[] top = new float[rows * k];
    long[] topIds = new long[rows * k];
    float[] logSumExp = new float[rows];
    v.getFloatBuffer().get(top);
    ((OnnxTensor) r.get(ids).orElseThrow()).getLongBuffer().get(topIds);
    ((OnnxTensor) r.get(lse).orElseThrow()).getFloatBuffer().get(logSumExp);
    return new Reduced(rows, k, top, topIds, logSumExp);
  }

  /**
   * The last position of each row of {@code logits} ({@code [B, T, V]}, e.g. straight from the
   * language model's result, not closed here), reduced to its {@code k} best entries.
   */
  Reduced reduce(OnnxTensor logits, int k) throws OrtException {
    try (OnnxTensor kt = topK(k);
        OrtSession.Result r = session.run(Map.of(LOGITS, logits, K, kt))) {
      return read(r, k, TOP_VALUES, TOP_IDS, LOG_SUM_EXP);
    }
  }

  /** The {@code k} input, int64 {@code [1]}. */
  static OnnxTensor topK(int k) throws OrtException {
    return OnnxTensor.createTensor(SessionFactory.environment(), LongBuffer.wrap(new long[] {k}),
        new long[] {1});
  }

  @Override
  public void close() {
    try {
      session.close();
    } catch (OrtException e) {
      throw new IllegalStateException(e);
    }
  }
}
