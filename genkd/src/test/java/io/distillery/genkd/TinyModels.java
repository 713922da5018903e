package io.distillery.genkd;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDManager;
import io.distillery.core.Json;
import io.distillery.export.gpt.GptExporter;
import io.distillery.genkd.train.GenKdConfig;
import io.distillery.genkd.train.GenKdMethod;
import io.distillery.train.gpt.GptConfig;
import io.distillery.train.gpt.GptModel;
import io.distillery.train.gpt.GptWeights;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/** Tiny random GPT folders with the demo generator's real tokenizer (vocabulary 8192). */
public final class TinyModels {
  /** The committed demo generator's tokenizer, seen from the genkd module. */
  public static final Path TOKENIZER = Path.of("../models/generator/tokenizer.json");
  public static final int VOCAB = 8192;
  public static final int EOS = 8191;
  public static final GptConfig TEACHER = new GptConfig(1, 16, 2, 64, VOCAB);

  private TinyModels() {}

  /** A causal-LM folder: model.onnx (KV-cache signature), tokenizer.json, config.json. */
  public static Path folder(Path dir, GptConfig c, int seed) throws IOException {
    Files.createDirectories(dir);
    try (NDManager m = NDManager.newBaseManager()) {
      Engine.getInstance().setRandomSeed(seed);
      GptModel model = new GptModel(c);
      model.initialize(m);
      GptExporter.export(c.architecture(), GptWeights.export(model), Map.of(),
          dir.resolve("model.onnx"));
    }
    Files.copy(TOKENIZER, dir.resolve("tokenizer.json"));
    var cfg = Json.MAPPER.createObjectNode();
    cfg.put("n_layer", c.layers());
    cfg.put("n_embd", c.width());
    cfg.put("n_head", c.heads());
    cfg.put("n_positions", c.context());
    cfg.put("vocab_size", c.vocab());
    cfg.put("eos_token_id", EOS);
    Files.writeString(dir.resolve("config.json"), cfg.toString());
    return dir;
  }

  /** Settings for tiny runs: batch 2, 6-token prefixes, 5-token responses, K = 3. */
  public static GenKdConfig config(GenKdMethod method, int steps) {
    return new GenKdConfig(method, steps, 2, 1e-2, 1e-2, 1, 0.01, 1.0, 3,
        "Suppose you are a student.", 6, 5, 7, 2, new GenKdConfig.StudentShape(1, 8, 2),
        GenKdConfig.Regulariser.LINEAR);
  }

  /** A corpus of a few dozen documents of every cut kind. */
  public static Path corpus(Path file) throws IOException {
    StringBuilder b = new StringBuilder();
    String[] words = {"apple", "river", "stone", "light", "garden", "winter", "music", "paper"};
    for (int i = 0; i < 60; i++) {
      String a = words[i % words.length];
      String c = words[(i * 3 + 1) % words.length];
      String text = switch (i % 3) {
        case 0 -> a + " " + i + ": a kind of " + c + " that is found near the " + a;
        case 1 -> "The " + a + " was old. It stood by the " + c + " for " + i + " years.";
        default -> "one " + a + " and two " + c + " make " + i + " things in all of the world";
      };
      b.append(Json.MAPPER.createObjectNode().put("text", text)).append('\n');
    }
    Files.writeString(file, b.toString());
    return file;
  }
}
