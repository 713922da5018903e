import ai.onnxruntime.*;
import java.nio.*;
import java.util.*;
public class Q {
  static OrtEnvironment env = OrtEnvironment.getEnvironment();
  static OnnxTensor longs(long[] v, long... s) throws Exception { return OnnxTensor.createTensor(env, LongBuffer.wrap(v), s); }
  public static void main(String[] a) throws Exception {
    int B = 16, S0 = 8, NEW = 64, M = 128, H = 8, D = 32, L = 4, V = 8192;
    var o = new OrtSession.SessionOptions(); o.setIntraOpNumThreads(2);
    var og = new OrtSession.SessionOptions(); og.setIntraOpNumThreads(2);
    try (var gqa = env.createSession("/tmp/prof/gqa/gqa.onnx", og); var plain = env.createSession("/work/main/models/generator/model.onnx", o)) {
      long[][] prompts = new long[B][S0];
      Random r = new Random(1);
      for (long[] p : prompts) for (int i = 0; i < S0; i++) p[i] = r.nextInt(V);
      for (int rep = 0; rep < 4; rep++) {
        // ---- GQA with shared buffers
        Map<String, OnnxTensor> past = new HashMap<>();
        for (int l = 0; l < L; l++) for (String k : new String[]{"key", "value"}) {
          ByteBuffer bb = ByteBuffer.allocateDirect(4 * B * H * M * D).order(ByteOrder.nativeOrder());
          past.put(l + "." + k, OnnxTensor.createTensor(env, bb.asFloatBuffer(), new long[]{B, H, M, D}));
        }
        long t0 = System.nanoTime();
        long[] ids = new long[B * S0]; long[] pos = new long[B * S0];
        for (int b = 0; b < B; b++) for (int i = 0; i < S0; i++) { ids[b * S0 + i] = prompts[b][i]; pos[b * S0 + i] = i; }
        int len = S0, S = S0;
        long[] gqaTokens = new long[B * NEW];
        float[] firstLogits = null;
        for (int step = 0; step < NEW; step++) {
          Map<String, OnnxTensor> in = new HashMap<>();
          in.put("input_ids", longs(ids, B, S)); in.put("position_ids", longs(pos, B, S));
          int[] sk = new int[B]; Arrays.fill(sk, len - 1);
          in.put("seqlens_k", OnnxTensor.createTensor(env, IntBuffer.wrap(sk), new long[]{B}));
          in.put("total_sequence_length", OnnxTensor.createTensor(env, IntBuffer.wrap(new int[]{len}), new long[]{}));
          Map<String, OnnxTensor> pinned = new HashMap<>();
          for (int l = 0; l < L; l++) for (String k : new String[]{"key", "value"}) {
            in.put("past_key_values." + l + "." + k, past.get(l + "." + k));
            pinned.put("present." + l + "." + k, past.get(l + "." + k));
          }
          try (var res = gqa.run(in, Set.of("logits"), pinned)) {
            FloatBuffer lg = ((OnnxTensor) res.get("logits").get()).getFloatBuffer();
            float[] all = new float[lg.remaining()]; lg.get(all);
            if (step == 0) firstLogits = all;
            ids = new long[B]; pos = new long[B];
            for (int b = 0; b < B; b++) {
              int off = (b * S + S - 1) * V; int best = 0;
              for (int v = 1; v < V; v++) if (all[off + v] > all[off + best]) best = v;
              ids[b] = best; pos[b] = len; gqaTokens[b * NEW + step] = best;
            }
          }
          for (var t : in.entrySet()) if (!t.getKey().startsWith("past")) t.getValue().close();
          len++; S = 1;
        }
        double gqaS = (System.nanoTime() - t0) / 1e9;
        // ---- plain graph, growing past
        t0 = System.nanoTime();
        Map<String, OnnxTensor> pp = new HashMap<>();
        for (int l = 0; l < L; l++) for (String k : new String[]{"key", "value"})
          pp.put("past_key_values." + l + "." + k, OnnxTensor.createTensor(env, FloatBuffer.allocate(0), new long[]{B, H, 0, D}));
        ids = new long[B * S0]; pos = new long[B * S0];
        for (int b = 0; b < B; b++) for (int i = 0; i < S0; i++) { ids[b * S0 + i] = prompts[b][i]; pos[b * S0 + i] = i; }
        len = S0; S = S0; int same = 0; OrtSession.Result prev = null; double maxDiff = 0;
        for (int step = 0; step < NEW; step++) {
          Map<String, OnnxTensor> in = new HashMap<>(pp);
          long[] mask = new long[B * len]; Arrays.fill(mask, 1);
          in.put("input_ids", longs(ids, B, S)); in.put("position_ids", longs(pos, B, S)); in.put("attention_mask", longs(mask, B, len));
          var res = plain.run(in);
          FloatBuffer lg = ((OnnxTensor) res.get("logits").get()).getFloatBuffer();
          float[] all = new float[lg.remaining()]; lg.get(all);
          if (step == 0) for (int i = 0; i < all.length; i++) maxDiff = Math.max(maxDiff, Math.abs(all[i] - firstLogits[i]));
          ids = new long[B]; pos = new long[B];
          for (int b = 0; b < B; b++) {
            int off = (b * S + S - 1) * V; int best = 0;
            for (int v = 1; v < V; v++) if (all[off + v] > all[off + best]) best = v;
            ids[b] = best; pos[b] = len; if (gqaTokens[b * NEW + step] == best) same++;
          }
          if (prev != null) prev.close();
          prev = res;
          pp = new HashMap<>();
          for (int l = 0; l < L; l++) for (String k : new String[]{"key", "value"})
            pp.put("past_key_values." + l + "." + k, (OnnxTensor) res.get("present." + l + "." + k).get());
          in.get("input_ids").close(); in.get("position_ids").close(); in.get("attention_mask").close();
          len++; S = 1;
        }
        double plainS = (System.nanoTime() - t0) / 1e9;
        System.out.printf("rep %d: gqa %.3f s, plain %.3f s, ratio %.2f; prefill max |diff| %.2e; same greedy tokens %d/%d%n", rep, gqaS, plainS, plainS / gqaS, maxDiff, same, B * NEW);
      }
    }
  }
}
