import ai.onnxruntime.*;
import java.nio.*;
import java.util.*;
public class P2 {
  public static void main(String[] a) throws Exception {
    var env = OrtEnvironment.getEnvironment();
    var o = new OrtSession.SessionOptions();
    o.setIntraOpNumThreads(Integer.parseInt(a[1]));
    o.enableProfiling(a[2]);
    try (var s = env.createSession(a[0], o)) {
      int B = 16, P = 40, H = 8, D = 32, L = 4;
      Map<String, OnnxTensor> in = new HashMap<>();
      long[] ids = new long[B]; long[] pos = new long[B]; Arrays.fill(pos, P);
      long[] mask = new long[B * (P + 1)]; Arrays.fill(mask, 1);
      in.put("input_ids", OnnxTensor.createTensor(env, LongBuffer.wrap(ids), new long[]{B, 1}));
      in.put("position_ids", OnnxTensor.createTensor(env, LongBuffer.wrap(pos), new long[]{B, 1}));
      in.put("attention_mask", OnnxTensor.createTensor(env, LongBuffer.wrap(mask), new long[]{B, P + 1}));
      float[] kv = new float[B * H * P * D];
      for (int l = 0; l < L; l++) for (String k : new String[]{"key", "value"})
        in.put("past_key_values." + l + "." + k, OnnxTensor.createTensor(env, FloatBuffer.wrap(kv), new long[]{B, H, P, D}));
      for (int i = 0; i < 300; i++) s.run(in).close();
      System.out.println(s.endProfiling());
    }
  }
}
