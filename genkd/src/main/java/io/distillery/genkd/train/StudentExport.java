package io.distillery.genkd.train;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.distillery.core.AtomicFiles;
import io.distillery.core.Json;
import io.distillery.export.gpt.GptExporter;
import io.distillery.learn.gpt.GeneratorFolder;
import io.distillery.train.gpt.GptConfig;
import io.distillery.train.gpt.GptWeights;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Map;

/**
 * Writes the trained student as a causal-LM folder that {@code distillery generate} and
 * {@link io.distillery.runtime.generate.CausalLm} run: model.onnx through {@link GptExporter}
 * (the Optimum text-generation-with-past signature), the teacher's tokenizer.json and
 * generation_config.json, a GPT-2 config.json of the student's shape, and recipe.json; plus
 * {@code soft_prompt.json} (K x C values) when the run trained a prompt.
 */
public final class StudentExport {
  private StudentExport() {}

  public static void write(GenKdModels models, Path out, Map<String, String> metadata,
      ObjectNode recipe, boolean withPrompt) {
    GeneratorFolder teacher = models.teacherFolder();
    GptConfig c = models.student().config();
    try {
      Files.createDirectories(out);
      GptExporter.export(c.architecture(), GptWeights.export(models.student()), metadata,
          out.resolve("model.onnx"));
      for (String name : new String[] {"tokenizer.json", "generation_config.json"}) {
        Path src = teacher.dir().resolve(name);
        if (Files.isRegularFile(src)) {
          Files.copy(src, out.resolve(name), StandardCopyOption.REPLACE_EXISTING);
        }
      }
      ObjectNode cfg = Json.MAPPER.createObjectNode();
      cfg.put("model_type", "gpt2");
      cfg.putArray("architectures").add("GPT2LMHeadModel");
      cfg.put("n_layer", c.layers());
      cfg.put("n_embd", c.width());
      cfg.put("n_head", c.heads());
      cfg.put("n_positions", c.context());
      cfg.put("n_ctx", c.context());
      cfg.put("vocab_size", c.vocab());
      cfg.put("activation_function", "gelu");
      cfg.put("layer_norm_epsilon", 1e-5);
      cfg.put("tie_word_embeddings", true);
      cfg.put("bos_token_id", models.eosId());
      cfg.put("eos_token_id", models.eosId());
      AtomicFiles.writeBytes(out.resolve("config.json"),
          Json.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsBytes(cfg));
      AtomicFiles.writeBytes(out.resolve("recipe.json"),
          Json.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsBytes(recipe));
      if (withPrompt) {
        ObjectNode p = Json.MAPPER.createObjectNode();
        p.put("tokens", models.prompt().length());
        p.put("width", models.teacher().config().width());
        p.put("teacher", teacher.dir().toString());
        var values = p.putArray("values");
        for (float v : models.prompt().array().toFloatArray()) {
          values.add(v);
        }
        AtomicFiles.writeBytes(out.resolve("soft_prompt.json"), Json.MAPPER.writeValueAsBytes(p));
      }
    } catch (IOException e) {
      throw new UncheckedIOException(out + ": cannot write the student folder", e);
    }
  }
}
