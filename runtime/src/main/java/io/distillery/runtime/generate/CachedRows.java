package io.distillery.runtime.generate;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OnnxValue;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * The rows of a KV-cached batch and their past keys/values: {@code present.{l}.key|value}
 * {@code [R, H, C, D]} by name (a step's outputs, fed back as its next past). Rows are
 * left-padded: a row with {@code k} cached tokens holds them in the last {@code k} of the
 * {@code C} columns. Closing it closes whatever owns the tensors (a step's result, or the
 * tensors {@link #gather} made); closing twice does nothing.
 */
final class CachedRows implements AutoCloseable {
  static final CachedRows EMPTY = new CachedRows(new int[0], 0, Map.of(), null);

  /** The prompt of each row {@code [R]}. */
  final int[] rowPrompt;
  /** Past columns {@code C}. */
  final int columns;
  /** {@code present.{l}.key|value} {@code [R, H, C, D]}. */
  final Map<String, OnnxTensor> past;
  private final AutoCloseable owner;
  private boolean closed;

  CachedRows(int[] rowPrompt, int columns, Map<String, OnnxTensor> past, AutoCloseable owner) {
    this.rowPrompt = rowPrompt;
    this.columns = columns;
    this.past = past;
    this.owner = owner;
  }

  int rows() {
    return rowPrompt.length;
  }

  /**
   * Where a row of a gathered batch comes from.
   *
   * @param from the batch that holds it
   * @param row its row there
   * @param cached its cached tokens (the last {@code cached} columns there)
   */
  record Slice(CachedRows from, int row, int cached) {}

  /**
   * New past tensors {@code [R, H, C, D]} holding each slice's cached keys/values right-aligned,
   * {@code C} the most any slice has cached; one copy of each source tensor is read per layer.
   */
  static CachedRows gather(OrtEnvironment env, LmSignature signature, int[] rowPrompt,
      List<Slice> slices) throws OrtException {
    int heads = signature.heads();
    int dim = signature.headDim();
    int rows = slices.size();
    int columns = slices.stream().mapToInt(Slice::cached).max().orElse(0);
    Map<String, OnnxTensor> past = new HashMap<>();
    List<OnnxTensor> made = new ArrayList<>();
    try {
      for (int l = 0; l < signature.layers(); l++) {
        for (String kind : new String[] {"key", "value"}) {
          String name = "present." + l + "." + kind;
          Map<CachedRows, float[]> data = new IdentityHashMap<>();
          FloatBuffer out = ByteBuffer.allocateDirect(rows * heads * columns * dim * 4)
              .order(ByteOrder.nativeOrder()).asFloatBuffer();
          for (int r = 0; r < rows; r++) {
            Slice s = slices.get(r);
            float[] src = data.computeIfAbsent(s.from(),
                b -> b.past.get(name).getFloatBuffer().array());
            int srcColumns = s.from().columns;
            for (int h = 0; h < heads; h++) {
              int from = ((s.row() * heads + h) * srcColumns + srcColumns - s.cached()) * dim;
              int to = ((r * heads + h) * columns + columns - s.cached()) * dim;
              out.put(to, src, from, s.cached() * dim);
            }
          }
          OnnxTensor t = OnnxTensor.createTensor(env, out, new long[] {rows, heads, columns, dim});
          made.add(t);
          past.put(name, t);
        }
      }
    } catch (OrtException | RuntimeException e) {
      made.forEach(OnnxValue::close);
      throw e;
    }
    return new CachedRows(rowPrompt, columns, past, () -> made.forEach(OnnxValue::close));
  }

  @Override
  public void close() throws OrtException {
    if (owner == null || closed) {
      return;
    }
    closed = true;
    try {
      owner.close();
    } catch (OrtException | RuntimeException e) {
      throw e;
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }
}
