package io.distillery.cli.pipeline;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.exc.ValueInstantiationException;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.distillery.core.BadInputException;
import io.distillery.core.ConfigException;
import io.distillery.genkd.train.GenKdConfig;
import io.distillery.genkd.train.GenKdMethod;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/**
 * The {@code distillery run} config of a generative task ({@code task: {kind: generative}}):
 * distil a causal-LM teacher into a smaller GPT (PromptKD or a baseline), then score both.
 *
 * <pre>
 * task:    {kind: generative}
 * teacher: models/generator                       # causal-LM folder (KV-cache ONNX)
 * corpus:  models/build/general/corpus.jsonl      # instruction pairs are cut from it
 * out:     runs/promptkd
 * seed:    1
 * student: {layers: 2, width: 128, heads: 4}      # or {init: DIR}: skip the SFT stage
 * sft:     {steps: 1000, batch_size: 16, learning_rate: 0.001}
 * distill: {method: prompt_kd, steps: 100, batch_size: 8, learning_rate: 0.0005,
 *           prompt_learning_rate: 0.001, warmup_steps: 10, prompt_tokens: 7, max_new_tokens: 32,
 *           regulariser: linear}                # or constant, off
 * eval:    {prefixes: 500, sampling_seeds: 5}
 * </pre>
 */
public record GenerativeRunConfig(Task task, Path teacher, Path corpus, Path out, Long seed,
    Student student, Sft sft, Distill distill, Eval eval) {
  public GenerativeRunConfig {
    require(task != null && "generative".equals(task.kind()), "task.kind: generative");
    require(out != null, "out");
    teacher = teacher == null ? Path.of("models/generator") : teacher;
    corpus = corpus == null ? Path.of("models/build/general/corpus.jsonl") : corpus;
    seed = seed == null ? 1L : seed;
    student = student == null ? new Student(null, null, null, null) : student;
    sft = sft == null ? new Sft(null, null, null) : sft;
    distill = distill == null
        ? new Distill(null, null, null, null, null, null, null, null, null, null) : distill;
    eval = eval == null ? new Eval(null, null) : eval;
  }

  public record Task(String kind) {}

  /** A fresh student's shape, or a folder to start from (then no SFT stage). */
  public record Student(Integer layers, Integer width, Integer heads, Path init) {}

  /** The SFT stage that makes the student's starting point. */
  public record Sft(Integer steps, Integer batchSize, Double learningRate) {}

  public record Distill(String method, Integer steps, Integer batchSize, Double learningRate,
      Double promptLearningRate, Integer warmupSteps, Integer promptTokens, Integer maxNewTokens,
      Integer checkpointEvery, String regulariser) {}

  public record Eval(Integer prefixes, Integer samplingSeeds) {}

  /** The distillation stage's settings. */
  public GenKdConfig distillConfig() {
    GenKdMethod m = GenKdMethod.parse(or(distill.method(), "prompt_kd"));
    int steps = or(distill.steps(), 100);
    return GenKdConfig.defaults(m, steps, seed)
        .with(m, steps, or(distill.batchSize(), 8), or(distill.learningRate(), 5e-4),
            or(distill.promptLearningRate(), 1e-3), or(distill.warmupSteps(), Math.min(10,
                steps - 1)), or(distill.promptTokens(), 7), seed)
        .withStudent(shape())
        .withLengths(48, or(distill.maxNewTokens(), 32), or(distill.checkpointEvery(), 50))
        .withRegulariser(regulariser(or(distill.regulariser(), "linear")));
  }

  /** The SFT stage's settings (a fresh student on the reference continuations). */
  public GenKdConfig sftConfig() {
    int steps = or(sft.steps(), 1000);
    return GenKdConfig.defaults(GenKdMethod.SFT, steps, seed)
        .with(GenKdMethod.SFT, steps, or(sft.batchSize(), 16), or(sft.learningRate(), 1e-3),
            1e-3, Math.min(50, steps - 1), 7, seed)
        .withStudent(shape())
        .withLengths(48, or(distill.maxNewTokens(), 32), 100);
  }

  private static GenKdConfig.Regulariser regulariser(String s) {
    for (GenKdConfig.Regulariser r : GenKdConfig.Regulariser.values()) {
      if (r.name().equalsIgnoreCase(s.strip())) {
        return r;
      }
    }
    throw new ConfigException("distill.regulariser: expected linear, constant or off, found '" + s
        + "'");
  }

  private GenKdConfig.StudentShape shape() {
    return new GenKdConfig.StudentShape(or(student.layers(), 2), or(student.width(), 128),
        or(student.heads(), 4));
  }

  /** Whether a run config file names {@code task: {kind: generative}}. */
  public static boolean isGenerative(Path file) {
    if (!Files.isRegularFile(file)) {
      return false; // the classification loader reports the missing file
    }
    try {
      JsonNode n = mapper(file).readTree(file.toFile());
      return n != null && "generative".equals(n.path("task").path("kind").asText());
    } catch (IOException e) {
      return false; // the classification loader reports the syntax error
    }
  }

  /** Reads the file with one-line errors (unknown keys, bad values) naming it. */
  public static GenerativeRunConfig load(Path file) {
    try {
      return mapper(file).readValue(file.toFile(), GenerativeRunConfig.class);
    } catch (ValueInstantiationException e) {
      Throwable cause = e.getCause();
      String why = cause instanceof ConfigException ? cause.getMessage() : e.getOriginalMessage();
      throw BadInputException.of(file, why, e);
    } catch (UnrecognizedPropertyException e) {
      throw BadInputException.of(file, "unknown key '" + e.getPropertyName() + "' in a generative"
          + " run config; known keys: " + e.getKnownPropertyIds(), e);
    } catch (IOException e) {
      String msg = e instanceof com.fasterxml.jackson.core.JacksonException je
          ? je.getOriginalMessage() : e.getMessage();
      throw BadInputException.of(file, "not a valid generative run config ("
          + msg.replace('\n', ' ') + ")", e);
    }
  }

  private static ObjectMapper mapper(Path file) {
    String name = file.getFileName().toString().toLowerCase(Locale.ROOT);
    ObjectMapper mapper = name.endsWith(".yaml") || name.endsWith(".yml")
        ? new ObjectMapper(new YAMLFactory()) : new ObjectMapper();
    return mapper.setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
        .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
  }

  private static <T> T or(T v, T fallback) {
    return v != null ? v : fallback;
  }

  private static void require(boolean ok, String what) {
    if (!ok) {
      throw new ConfigException("missing or invalid " + what);
    }
  }
}
