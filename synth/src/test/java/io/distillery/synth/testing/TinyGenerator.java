package io.distillery.synth.testing;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.distillery.core.AtomicFiles;
import io.distillery.core.Json;
import io.distillery.export.gpt.GptArchitecture;
import io.distillery.export.gpt.GptExporter;
import io.distillery.export.gpt.WeightTensor;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * A real generator folder for synth tests: a 2-layer GPT with seeded random weights written by the
 * real exporter (KV-cache signature), a byte-level BPE tokenizer with no merges (256 byte tokens
 * plus end of text) and a config.json. Its text is noise, but it runs the real sampling path.
 */
public final class TinyGenerator {
  public static final GptArchitecture ARCH = new GptArchitecture(2, 32, 4, 128, 257);
  public static final int EOS = 256;
  private static Path folder;

  private TinyGenerator() {}

  public static synchronized Path folder() {
    if (folder == null) {
      Path dir = TempDirs.create("synth-generator");
      GptExporter.export(ARCH, weights(3), Map.of("distillery.kind", "test"), dir.resolve("model.onnx"));
      AtomicFiles.writeString(dir.resolve("tokenizer.json"), byteTokenizer());
      ObjectNode cfg = Json.MAPPER.createObjectNode();
      cfg.put("model_type", "gpt2");
      cfg.put("n_positions", ARCH.context());
      cfg.put("eos_token_id", EOS);
      AtomicFiles.writeString(dir.resolve("config.json"), cfg.toString());
      folder = dir;
    }
    return folder;
  }

  private static Map<String, WeightTensor> weights(long seed) {
    SplittableRandom rng = new SplittableRandom(seed);
    Map<String, WeightTensor> out = new LinkedHashMap<>();
    for (Map.Entry<String, long[]> e : ARCH.weightShapes().entrySet()) {
      int n = 1;
      for (long d : e.getValue()) {
        n *= (int) d;
      }
      float[] v = new float[n];
      String name = e.getKey();
      boolean gamma = name.matches(".*ln_(1|2|f)\\.weight");
      double sd = name.contains("wte") ? 0.5 : name.endsWith("bias") ? 0.05 : 0.2;
      for (int i = 0; i < n; i++) {
        v[i] = gamma ? 1f : (float) (rng.nextGaussian() * sd);
      }
      out.put(name, new WeightTensor(e.getValue(), v));
    }
    return out;
  }

  /** GPT-2's byte-to-unicode alphabet, every byte one token, no merges. */
  private static String byteTokenizer() {
    ObjectNode root = Json.MAPPER.createObjectNode();
    root.putNull("truncation");
    root.putNull("padding");
    ArrayNode added = root.putArray("added_tokens");
    ObjectNode eot = added.addObject();
    eot.put("id", EOS);
    eot.put("content", "<|endoftext|>");
    eot.put("single_word", false);
    eot.put("lstrip", false);
    eot.put("rstrip", false);
    eot.put("normalized", true);
    eot.put("special", true);
    root.putNull("normalizer");
    root.set("pre_tokenizer", byteLevel(false));
    root.set("post_processor", byteLevel(true));
    root.set("decoder", byteLevel(true));
    ObjectNode model = root.putObject("model");
    model.put("type", "BPE");
    model.putNull("dropout");
    model.putNull("unk_token");
    model.put("continuing_subword_prefix", "");
    model.put("end_of_word_suffix", "");
    model.put("fuse_unk", false);
    model.put("byte_fallback", false);
    ObjectNode vocab = model.putObject("vocab");
    int shifted = 0;
    for (int b = 0; b < 256; b++) {
      boolean printable = (b >= '!' && b <= '~') || (b >= 0xA1 && b <= 0xAC) || b >= 0xAE;
      vocab.put(new String(Character.toChars(printable ? b : 256 + shifted++)), b);
    }
    vocab.put("<|endoftext|>", EOS);
    model.putArray("merges");
    return root.toString();
  }

  private static ObjectNode byteLevel(boolean prefix) {
    ObjectNode n = Json.MAPPER.createObjectNode();
    n.put("type", "ByteLevel");
    n.put("add_prefix_space", prefix);
    n.put("trim_offsets", true);
    n.put("use_regex", true);
    return n;
  }
}
