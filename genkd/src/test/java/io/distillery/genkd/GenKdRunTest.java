package io.distillery.genkd;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtSession;
import com.fasterxml.jackson.databind.JsonNode;
import io.distillery.core.ConfigException;
import io.distillery.core.ExitCode;
import io.distillery.core.Json;
import io.distillery.export.gpt.GptExporter;
import io.distillery.genkd.data.InstructionSet;
import io.distillery.genkd.train.GenKdConfig;
import io.distillery.genkd.train.GenKdMethod;
import io.distillery.genkd.train.GenKdModels;
import io.distillery.genkd.train.GenKdRun;
import io.distillery.genkd.train.GenKdTrainer;
import io.distillery.genkd.train.StudentExport;
import io.distillery.runtime.generate.CausalLm;
import io.distillery.runtime.generate.GenerationConfig;
import io.distillery.runtime.generate.LmTokenizer;
import io.distillery.runtime.session.SessionConfig;
import io.distillery.runtime.session.SessionFactory;
import io.distillery.train.gpt.GptConfig;
import io.distillery.train.gpt.GptModel;
import java.nio.FloatBuffer;
import java.nio.LongBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Whole runs on tiny models: every method, resume, export parity, refused configs. */
class GenKdRunTest {
  @TempDir static Path dir;
  static Path teacher;
  static Path corpus;

  @BeforeAll
  static void folders() throws Exception {
    teacher = TinyModels.folder(dir.resolve("teacher"), TinyModels.TEACHER, 3);
    corpus = TinyModels.corpus(dir.resolve("corpus.jsonl"));
  }

  @Test
  void everyMethodRunsLogsItsTermsAndWritesAStudentFolder() throws Exception {
    for (GenKdMethod m : GenKdMethod.values()) {
      Path out = dir.resolve("run-" + m.cliName());
      GenKdRun.Outcome o = new GenKdRun(teacher, null, corpus, out, TinyModels.config(m, 2))
          .run(System.err, Integer.MAX_VALUE);
      assertTrue(o.complete(), m + " complete");
      assertTrue(Files.isRegularFile(out.resolve("model.onnx")), m + " exported");
      assertEquals(1.0 * 3 * 16 / TinyModels.TEACHER.parameterCount(), o.promptShare(), 1e-12);
      List<String> lines = Files.readAllLines(out.resolve(GenKdTrainer.LOG_FILE));
      assertEquals(2, lines.size());
      JsonNode last = Json.MAPPER.readTree(lines.get(1));
      assertEquals(m.cliName(), last.get("method").asText());
      assertTrue(Double.isFinite(last.get("loss").asDouble()), lines.get(1));
      assertEquals(m == GenKdMethod.PROMPT_KD, last.has("kl_prompted_to_student"), lines.get(1));
      assertEquals(m == GenKdMethod.PROMPT_KD, Files.isRegularFile(out.resolve("soft_prompt.json")));
    }
    // the student folder runs through ONNX Runtime like any generator (distillery generate)
    try (CausalLm lm = CausalLm.open(dir.resolve("run-prompt-kd"), new SessionFactory(),
        SessionConfig.cpu().withIntraOpThreads(1))) {
      var g = lm.generate(List.of("The river was"), GenerationConfig.greedy(5)).get(0);
      assertTrue(g.tokenIds().length >= 1, g.toString());
    }
  }

  @Test
  void resumedRunEndsWithTheSameStudentAsAnUninterruptedOne() throws Exception {
    GenKdConfig c = TinyModels.config(GenKdMethod.PROMPT_KD, 4);
    List<float[]> straight = trainAndRead(c, dir.resolve("straight"), List.of(4));
    List<float[]> resumed = trainAndRead(c, dir.resolve("resumed"), List.of(2, 4));
    assertEquals(straight.size(), resumed.size());
    for (int i = 0; i < straight.size(); i++) {
      assertArrayEquals(straight.get(i), resumed.get(i), 1e-5f);
    }
    assertEquals(4, Files.readAllLines(dir.resolve("resumed").resolve(GenKdTrainer.LOG_FILE))
        .size());
  }

  /** Runs to each stop in turn, each time in a fresh JVM-like state; returns student + prompt. */
  static List<float[]> trainAndRead(GenKdConfig c, Path out, List<Integer> stops) {
    List<float[]> w = null;
    for (int stop : stops) {
      try (GenKdModels models = GenKdModels.open(teacher, null, c);
          LmTokenizer tok = LmTokenizer.load(TinyModels.TOKENIZER)) {
        var data = InstructionSet.read(corpus, tok, c.maxPrefixTokens(), c.maxNewTokens(),
            TinyModels.EOS);
        new GenKdTrainer(c, System.err).train(models, data.train(), out, stop);
        w = new java.util.ArrayList<>();
        for (var p : models.student().namedParameters().values()) {
          w.add(p.getArray().toFloatArray());
        }
        w.add(models.prompt().array().toFloatArray());
      }
    }
    return w;
  }

  @Test
  void exportedStudentMatchesDjlThroughOnnxRuntime() throws Exception {
    GenKdConfig c = TinyModels.config(GenKdMethod.PROMPT_KD, 3);
    Path out = dir.resolve("parity");
    try (GenKdModels models = GenKdModels.open(teacher, null, c);
        LmTokenizer tok = LmTokenizer.load(TinyModels.TOKENIZER)) {
      var data = InstructionSet.read(corpus, tok, c.maxPrefixTokens(), c.maxNewTokens(),
          TinyModels.EOS);
      new GenKdTrainer(c, System.err).train(models, data.train(), out, 3);
      StudentExport.write(models, out, Map.of(), Json.MAPPER.createObjectNode(), true);
      GptModel student = models.student();
      GptConfig sc = student.config();
      long[] ids = {TinyModels.EOS, 120, 7, 3050, 44, 911};
      NDManager m = models.manager();
      NDArray djl = student.logits(new ParameterStore(m, false),
          m.create(ids, new Shape(1, ids.length)), false);
      OrtEnvironment env = OrtEnvironment.getEnvironment();
      try (OrtSession s = env.createSession(out.resolve("model.onnx").toString(),
          new OrtSession.SessionOptions())) {
        Map<String, OnnxTensor> in = new HashMap<>();
        long[] pos = {0, 1, 2, 3, 4, 5};
        long[] mask = {1, 1, 1, 1, 1, 1};
        long[] shape = {1, ids.length};
        in.put("input_ids", OnnxTensor.createTensor(env, LongBuffer.wrap(ids), shape));
        in.put("position_ids", OnnxTensor.createTensor(env, LongBuffer.wrap(pos), shape));
        in.put("attention_mask", OnnxTensor.createTensor(env, LongBuffer.wrap(mask), shape));
        long[] past = {1, sc.heads(), 0, sc.headDim()};
        for (int i = 0; i < sc.layers(); i++) {
          in.put(GptExporter.pastKey(i), OnnxTensor.createTensor(env, FloatBuffer.allocate(0),
              past));
          in.put(GptExporter.pastValue(i), OnnxTensor.createTensor(env, FloatBuffer.allocate(0),
              past));
        }
        try (OrtSession.Result r = s.run(in)) {
          FloatBuffer fb = ((OnnxTensor) r.get("logits").get()).getFloatBuffer();
          float[] ort = new float[fb.remaining()];
          fb.get(ort);
          assertArrayEquals(djl.toFloatArray(), ort, 1e-4f);
        } finally {
          in.values().forEach(OnnxTensor::close);
        }
      }
    }
  }

  @Test
  void badConfigsAreOneLineExitTwoErrors() throws Exception {
    ConfigException k0 = assertThrows(ConfigException.class, () ->
        new GenKdConfig(GenKdMethod.PROMPT_KD, 4, 2, 1e-2, 1e-2, 1, 0.01, 1.0, 0, "x", 6, 5, 7, 2,
            new GenKdConfig.StudentShape(1, 8, 2), GenKdConfig.Regulariser.LINEAR));
    assertOneLine(k0, "prompt tokens (k) must be >= 1");

    // a student of another vocabulary
    Path otherVocab = TinyModels.folder(dir.resolve("vocab100"), new GptConfig(1, 8, 2, 64, 100),
        5);
    ConfigException v = assertThrows(ConfigException.class, () -> GenKdModels.open(teacher,
        otherVocab, TinyModels.config(GenKdMethod.PROMPT_KD, 2)));
    assertOneLine(v, "student vocabulary 100 differs from the teacher's 8192");

    // same vocabulary size, another tokenizer.json
    Path otherTok = TinyModels.folder(dir.resolve("othertok"), new GptConfig(1, 8, 2, 64, 8192),
        6);
    String json = Files.readString(otherTok.resolve("tokenizer.json"), StandardCharsets.UTF_8);
    Files.writeString(otherTok.resolve("tokenizer.json"), json.replace("\"the\"", "\"teh\""));
    ConfigException t = assertThrows(ConfigException.class, () -> GenKdModels.open(teacher,
        otherTok, TinyModels.config(GenKdMethod.PROMPT_KD, 2)));
    assertOneLine(t, "student tokenizer");
    assertTrue(t.getMessage().contains("othertok"), t.getMessage());
  }

  static void assertOneLine(ConfigException e, String expected) {
    assertEquals(ExitCode.BAD_INPUT, e.exitCode());
    assertTrue(e.getMessage().contains(expected), e.getMessage());
    assertFalse(e.getMessage().contains("\n"), e.getMessage());
  }
}
