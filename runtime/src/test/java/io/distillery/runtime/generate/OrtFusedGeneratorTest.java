package io.distillery.runtime.generate;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.distillery.export.gpt.GptExporter;
import io.distillery.export.graph.ContribOp;
import io.distillery.export.onnx.OnnxProto.ModelProto;
import io.distillery.runtime.session.SessionConfig;
import io.distillery.runtime.session.SessionFactory;
import io.distillery.runtime.testing.TinyLmFolder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A GPT written with ONNX Runtime's fused kernels (MultiHeadAttention over the KV cache,
 * SkipLayerNormalization, BiasGelu) computes what the plain graph does: teacher-forced logits, and
 * greedy and sampled continuations of left-padded batches whose rows leave and join (the cache
 * gathered and refilled between steps).
 */
class OrtFusedGeneratorTest {
  @TempDir Path tmp;

  @Test
  void fusedGraphGeneratesWhatThePlainOneDoes() throws Exception {
    var weights = TinyLmFolder.weights(5);
    ModelProto plain = GptExporter.build(TinyLmFolder.ARCH, weights, Map.of(), true);
    ModelProto fused = GptExporter.build(TinyLmFolder.ARCH, weights, Map.of(), true, true);
    long contrib = fused.getGraph().getNodeList().stream()
        .filter(n -> n.getDomain().equals(ContribOp.DOMAIN)).count();
    // per layer MultiHeadAttention, BiasGelu and two SkipLayerNorms; one more SkipLayerNorm
    assertEquals(4L * TinyLmFolder.ARCH.layers() + 1, contrib);
    assertTrue(fused.getGraph().getNodeCount() < plain.getGraph().getNodeCount() * 2 / 3,
        fused.getGraph().getNodeCount() + " vs " + plain.getGraph().getNodeCount());
    SessionFactory factory = new SessionFactory();
    try (CausalLm a = CausalLm.open(TinyLmFolder.write(Files.createDirectory(tmp.resolve("plain")),
            plain), factory, SessionConfig.cpu());
        CausalLm b = CausalLm.open(TinyLmFolder.write(Files.createDirectory(tmp.resolve("fused")),
            fused), factory, SessionConfig.cpu())) {
      assertEquals(a.signature(), b.signature(), "same inputs and outputs");
      long[] ids = a.tokenizer().encode("The quick brown fox jumps over the lazy dog");
      float[] la = a.logits(ids);
      float[] lb = b.logits(ids);
      for (int i = 0; i < la.length; i++) {
        assertEquals(la[i], lb[i], 1e-4, "teacher-forced logit " + i);
      }
      for (GenerationConfig c : List.of(GenerationConfig.greedy(20).withStopAtEos(false),
          GenerationConfig.sampling(20, 0.9, 3).withStopAtEos(false))) {
        for (Batching batching : List.of(Batching.all(), Batching.rows(3))) {
          List<Generation> ga = a.generate(ContinuousBatchingTest.PROMPTS, c,
              ContinuousBatchingTest.UNEVEN, batching);
          List<Generation> gb = b.generate(ContinuousBatchingTest.PROMPTS, c,
              ContinuousBatchingTest.UNEVEN, batching);
          for (int i = 0; i < ga.size(); i++) {
            String at = c + ", " + batching + ", prompt " + i;
            assertArrayEquals(ga.get(i).tokenIds(), gb.get(i).tokenIds(), at);
            assertArrayEquals(ga.get(i).logProbs(), gb.get(i).logProbs(), 1e-4f, at);
          }
        }
      }
    }
  }
}
