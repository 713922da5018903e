package io.distillery.runtime.testing;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.distillery.core.AtomicFiles;
import io.distillery.core.Json;
import io.distillery.export.gpt.ByteLevelBpeTokenizerJson;
import io.distillery.export.gpt.GptArchitecture;
import io.distillery.export.gpt.GptExporter;
import io.distillery.export.gpt.WeightTensor;
import io.distillery.export.graph.OnnxModels;
import io.distillery.export.onnx.OnnxProto.ModelProto;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;

/**
 * Writes small real generator folders for tests: a 2-layer GPT with seeded random weights
 * (exported by the real exporter), a pure byte-level BPE tokenizer (256 byte tokens + end of
 * text, id 256) and a config.json with the context. Its text is noise, but it runs the real
 * sampling path.
 */
public final class TinyLmFolder {
  /** 2 layers, width 32, 4 heads, 48 positions, 257 tokens. */
  public static final GptArchitecture ARCH = new GptArchitecture(2, 32, 4, 48, 257);
  public static final int EOS = 256;

  private TinyLmFolder() {}

  /** A folder with the KV-cache signature, or without past inputs. */
  public static Path write(Path dir, boolean withCache) {
    return write(dir, GptExporter.build(ARCH, weights(5), Map.of(), withCache));
  }

  /** A KV-cache folder of {@link #ARCH} with a longer context, for tests that generate more. */
  public static Path write(Path dir, int context, long seed) {
    GptArchitecture arch = new GptArchitecture(ARCH.layers(), ARCH.width(), ARCH.heads(), context,
        ARCH.vocab());
    return write(dir, GptExporter.build(arch, weights(arch, seed), Map.of("distillery.kind", "test"),
        true), context);
  }

  /** A folder with the given model, the byte tokenizer and config.json. */
  public static Path write(Path dir, ModelProto model) {
    return write(dir, model, ARCH.context());
  }

  private static Path write(Path dir, ModelProto model, int context) {
    OnnxModels.write(model, dir.resolve("model.onnx"));
    AtomicFiles.writeString(dir.resolve("tokenizer.json"), byteTokenizer());
    ObjectNode cfg = Json.MAPPER.createObjectNode();
    cfg.put("model_type", "gpt2");
    cfg.put("n_positions", context);
    cfg.put("eos_token_id", EOS);
    AtomicFiles.writeString(dir.resolve("config.json"), cfg.toString());
    return dir;
  }

  /** Peaked random weights of {@link #ARCH}, so greedy choices are far from ties. */
  public static Map<String, WeightTensor> weights(long seed) {
    return weights(ARCH, seed);
  }

  private static Map<String, WeightTensor> weights(GptArchitecture arch, long seed) {
    Random rng = new Random(seed);
    Map<String, WeightTensor> out = new LinkedHashMap<>();
    for (Map.Entry<String, long[]> e : arch.weightShapes().entrySet()) {
      long n = 1;
      for (long d : e.getValue()) {
        n *= d;
      }
      float[] v = new float[(int) n];
      String name = e.getKey();
      boolean gamma = name.matches(".*ln_(1|2|f)\\.weight");
      double sd = name.contains("wte") ? 0.6 : name.endsWith("bias") ? 0.05 : 0.2;
      for (int i = 0; i < v.length; i++) {
        v[i] = gamma ? 1f : (float) (rng.nextGaussian() * sd);
      }
      out.put(name, new WeightTensor(e.getValue(), v));
    }
    return out;
  }

  /** GPT-2's byte-level alphabet with no merges: every UTF-8 byte is a token. */
  public static String byteTokenizer() {
    return ByteLevelBpeTokenizerJson.bytesOnly().toString();
  }
}
