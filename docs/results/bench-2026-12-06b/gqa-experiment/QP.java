import ai.onnxruntime.*;
import java.nio.*;
import java.util.*;
public class QP {
  public static void main(String[] a) throws Exception {
    var env = OrtEnvironment.getEnvironment();
    var o = new OrtSession.SessionOptions(); o.setIntraOpNumThreads(1); o.enableProfiling("/tmp/prof/gqa/qp");
    int B = 16, M = 128, H = 8, D = 32, L = 4, P = 40;
    try (var s = env.createSession("/tmp/prof/gqa/gqa.onnx", o)) {
      Map<String, OnnxTensor> in = new HashMap<>(); Map<String, OnnxTensor> pinned = new HashMap<>();
      in.put("input_ids", OnnxTensor.createTensor(env, LongBuffer.wrap(new long[B]), new long[]{B, 1}));
      long[] pos = new long[B]; Arrays.fill(pos, P);
      in.put("position_ids", OnnxTensor.createTensor(env, LongBuffer.wrap(pos), new long[]{B, 1}));
      int[] sk = new int[B]; Arrays.fill(sk, P);
      in.put("seqlens_k", OnnxTensor.createTensor(env, IntBuffer.wrap(sk), new long[]{B}));
      in.put("total_sequence_length", OnnxTensor.createTensor(env, IntBuffer.wrap(new int[]{P + 1}), new long[]{}));
      for (int l = 0; l < L; l++) for (String k : new String[]{"key", "value"}) {
        var t = OnnxTensor.createTensor(env, ByteBuffer.allocateDirect(4 * B * H * M * D).order(ByteOrder.nativeOrder()).asFloatBuffer(), new long[]{B, H, M, D});
        in.put("past_key_values." + l + "." + k, t); pinned.put("present." + l + "." + k, t);
      }
      for (int i = 0; i < 300; i++) s.run(in, Set.of("logits"), pinned).close();
      System.out.println(s.endProfiling());
    }
  }
}
