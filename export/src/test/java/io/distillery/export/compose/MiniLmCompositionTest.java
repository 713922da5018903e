package io.distillery.export.compose;

import static io.distillery.export.OnnxTestSupport.assertClose;
import static io.distillery.export.OnnxTestSupport.run;
import static io.distillery.export.OnnxTestSupport.writeChecked;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.distillery.export.OnnxTestSupport;
import io.distillery.export.OnnxTestSupport.Tensor;
import io.distillery.export.graph.OnnxGraph;
import io.distillery.export.inspect.ModelSummary;
import io.distillery.export.inspect.OnnxInspector;
import io.distillery.export.inspect.TensorSummary;
import io.distillery.export.onnx.OnnxProto.ModelProto;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Composes the real all-MiniLM-L6-v2 (IR 6, opset 11) with a random 2-label head. */
class MiniLmCompositionTest {
  private static final int H = 384;
  private static final int L = 2;
  /** BERT word-piece ids: "[CLS] hello world [SEP]", a longer sentence, "[CLS] [SEP]". */
  private static final long[][] IDS = {
    {101, 7592, 2088, 102}, {101, 1045, 2293, 2023, 3185, 2172, 999, 102}, {101, 102}
  };

  @TempDir Path dir;

  @Test
  void composedLogitsEqualEncoderPlusJavaPoolingAndHead() throws Exception {
    Random rng = new Random(1);
    float[][] w = new float[H][L];
    for (float[] row : w) {
      for (int l = 0; l < L; l++) {
        row[l] = (float) (rng.nextGaussian() * 0.1);
      }
    }
    LinearHead head = LinearHead.of(w, new float[] {0.25f, -0.25f});
    Path encoderFile = OnnxTestSupport.miniLm();
    ModelProto composed = ClassifierComposer.compose(encoderFile, head, Map.of("k", "v"));
    assertEquals(6, composed.getIrVersion());
    assertEquals(11, OnnxGraph.defaultOpset(composed));
    Path file = writeChecked(composed, dir, "minilm-classifier.onnx");

    ModelSummary s = OnnxInspector.inspect(file);
    assertEquals(List.of(new TensorSummary("logits", "FLOAT", List.of("batch_size", "2"))),
        s.outputs());
    assertEquals(22_565_888L + 3 + 3 + 2 + 1 + H * L + L, s.parameterCount());

    int seq = 8;
    Map<String, Tensor> batch = batch(IDS, seq);
    float[] hidden = run(encoderFile, batch).get("last_hidden_state").floats(); // [3, 8, H]
    float[] expected = new float[IDS.length * L];
    for (int b = 0; b < IDS.length; b++) {
      for (int l = 0; l < L; l++) {
        double logit = 0;
        for (int h = 0; h < H; h++) {
          double sum = 0;
          for (int t = 0; t < IDS[b].length; t++) {
            sum += hidden[(b * seq + t) * H + h];
          }
          logit += sum / IDS[b].length * w[h][l];
        }
        expected[b * L + l] = (float) (logit + head.bias()[l]);
      }
    }
    float[] logits = run(file, batch).get("logits").floats();
    assertClose(expected, logits, 1e-5, "logits");
    for (int b = 0; b < IDS.length; b++) {
      float[] alone = run(file, batch(new long[][] {IDS[b]}, IDS[b].length)).get("logits").floats();
      assertClose(java.util.Arrays.copyOfRange(logits, b * L, b * L + L), alone, 1e-4,
          "sequence " + b + " without padding");
    }
  }

  private static Map<String, Tensor> batch(long[][] ids, int seq) {
    long[] flatIds = new long[ids.length * seq];
    long[] mask = new long[ids.length * seq];
    for (int b = 0; b < ids.length; b++) {
      for (int t = 0; t < ids[b].length; t++) {
        flatIds[b * seq + t] = ids[b][t];
        mask[b * seq + t] = 1;
      }
    }
    return Map.of(
        "input_ids", Tensor.of(flatIds, ids.length, seq),
        "attention_mask", Tensor.of(mask, ids.length, seq),
        "token_type_ids", Tensor.of(new long[ids.length * seq], ids.length, seq));
  }
}
