package io.distillery.genkd.train;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Parameter;
import io.distillery.core.ConfigException;
import io.distillery.core.Sha256;
import io.distillery.genkd.prompt.SoftPrompt;
import io.distillery.learn.gpt.GeneratorFolder;
import io.distillery.runtime.generate.LmTokenizer;
import io.distillery.train.gpt.AdamW;
import io.distillery.train.gpt.GptConfig;
import io.distillery.train.gpt.GptModel;
import io.distillery.train.gpt.GptWeights;
import java.nio.file.Path;

/**
 * The models of one generative distillation run, all DJL {@link GptModel}s in one manager: the
 * teacher (imported from its ONNX weights, every parameter frozen), the soft prompt on it
 * ({@link SoftPrompt}, its own AdamW) and the student (a folder's weights or a fresh init, its own
 * AdamW).
 */
public final class GenKdModels implements AutoCloseable {
  private final NDManager manager;
  private final GeneratorFolder teacherFolder;
  private final GptModel teacher;
  private final GptModel student;
  private final SoftPrompt prompt;
  private final AdamW studentOptimizer;
  private final AdamW promptOptimizer;

  private GenKdModels(NDManager manager, GeneratorFolder teacherFolder, GptModel teacher,
      GptModel student, SoftPrompt prompt, double weightDecay) {
    this.manager = manager;
    this.teacherFolder = teacherFolder;
    this.teacher = teacher;
    this.student = student;
    this.prompt = prompt;
    this.studentOptimizer = new AdamW(student.namedParameters(), manager, weightDecay);
    this.promptOptimizer = new AdamW(prompt.asMap(), manager, weightDecay);
  }

  /**
   * Loads the teacher, freezes it, makes the prompt from {@code config.promptInit()} and the
   * student from {@code studentInit} (a causal-LM folder with the teacher's tokenizer) or, when
   * null, a fresh {@link GenKdConfig#student()} of the teacher's vocabulary and context seeded by
   * {@code config.seed()}.
   *
   * @throws ConfigException when the student's vocabulary or tokenizer is not the teacher's
   */
  public static GenKdModels open(Path teacherDir, Path studentInit, GenKdConfig config) {
    GeneratorFolder tf = GeneratorFolder.read(teacherDir);
    GeneratorFolder sf = studentInit == null ? null : GeneratorFolder.read(studentInit);
    if (sf != null) {
      checkSameTokenizer(tf, sf);
    }
    NDManager manager = NDManager.newBaseManager();
    try {
      GptModel teacher = new GptModel(tf.config());
      teacher.initialize(manager);
      GptWeights.load(teacher, tf.weights(), tf.modelFile());
      for (Parameter p : teacher.namedParameters().values()) {
        p.freeze(true);
      }
      GptConfig sc = sf != null ? sf.config() : new GptConfig(config.student().layers(),
          config.student().width(), config.student().heads(), tf.config().context(),
          tf.config().vocab());
      Engine.getInstance().setRandomSeed((int) (config.seed() ^ (config.seed() >>> 32)));
      GptModel student = new GptModel(sc);
      student.initialize(manager);
      if (sf != null) {
        GptWeights.load(student, sf.weights(), sf.modelFile());
      }
      long[] initIds;
      try (LmTokenizer tok = LmTokenizer.load(tf.tokenizerFile())) {
        initIds = tok.encode(config.promptInit());
      }
      SoftPrompt prompt = SoftPrompt.fromTokens(teacher, manager, config.promptTokens(), initIds);
      return new GenKdModels(manager, tf, teacher, student, prompt, config.weightDecay());
    } catch (RuntimeException e) {
      manager.close();
      throw e;
    }
  }

  /** A student folder must read the teacher's token ids: same vocabulary and tokenizer.json. */
  static void checkSameTokenizer(GeneratorFolder teacher, GeneratorFolder student) {
    if (student.config().vocab() != teacher.config().vocab()) {
      throw new ConfigException(student.dir().resolve("config.json") + ": student vocabulary "
          + student.config().vocab() + " differs from the teacher's " + teacher.config().vocab()
          + " (" + teacher.dir() + "); distillation needs the teacher's tokenizer");
    }
    String ts = Sha256.of(teacher.tokenizerFile());
    String ss = Sha256.of(student.tokenizerFile());
    if (!ts.equals(ss)) {
      throw new ConfigException(student.tokenizerFile() + ": student tokenizer (sha256 "
          + ss.substring(0, 12) + ") differs from the teacher's " + teacher.tokenizerFile()
          + " (sha256 " + ts.substring(0, 12) + "); distillation needs the teacher's tokenizer");
    }
  }

  public NDManager manager() {
    return manager;
  }

  public GeneratorFolder teacherFolder() {
    return teacherFolder;
  }

  public GptModel teacher() {
    return teacher;
  }

  public GptModel student() {
    return student;
  }

  public SoftPrompt prompt() {
    return prompt;
  }

  public AdamW studentOptimizer() {
    return studentOptimizer;
  }

  public AdamW promptOptimizer() {
    return promptOptimizer;
  }

  /** The end-of-text id that ends responses and starts prefixes. */
  public int eosId() {
    return teacherFolder.eosId() >= 0 ? teacherFolder.eosId() : teacher.config().vocab() - 1;
  }

  @Override
  public void close() {
    manager.close();
  }
}
