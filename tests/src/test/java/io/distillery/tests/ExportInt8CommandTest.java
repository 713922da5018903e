package io.distillery.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.distillery.core.AtomicFiles;
import io.distillery.core.Json;
import io.distillery.export.gpt.WeightTensor;
import io.distillery.export.student.StudentArchitecture;
import io.distillery.export.student.StudentExporter;
import io.distillery.export.student.StudentWeights;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code export} (rebuilt, and --int8) of a student folder, then {@code bench} with all of them. */
class ExportInt8CommandTest {
  @TempDir Path dir;

  @Test
  void int8ExportIsBenchedBesideItsFp32Student() throws Exception {
    Path teacher = TinyClassifier.create(dir);
    Path student = dir.resolve("student");
    Files.createDirectories(student);
    StudentArchitecture arch = new StudentArchitecture(1, 32, 2, 64, 128, 30522, 2, 16);
    StudentExporter.export(randomWeights(arch), Map.of(), student.resolve("model.onnx"));
    Files.copy(teacher.resolve("tokenizer.json"), student.resolve("tokenizer.json"));
    AtomicFiles.writeString(student.resolve("config.json"),
        "{\"id2label\": {\"0\": \"negative\", \"1\": \"positive\"}}\n");

    // without --int8: the student's graph rebuilt from its weights, same logits
    CliRun plain = CliRun.of("export", "--model", student.toString(), "--json");
    assertEquals(0, plain.exitCode(), plain.err());
    assertTrue(Json.MAPPER.readTree(plain.out()).get("rebuilt").asBoolean());
    Path rebuilt = dir.resolve("student-export");
    // a model that is no student has nothing to rebuild: only --int8 applies
    CliRun notStudent = CliRun.of("export", "--model", teacher.toString(), "--out",
        dir.resolve("teacher-export").toString());
    assertEquals(2, notStudent.exitCode(), notStudent.err());
    assertTrue(notStudent.err().contains("--int8"), notStudent.err());

    CliRun export = CliRun.of("export", "--int8", "--model", student.toString(), "--json");
    assertEquals(0, export.exitCode(), export.err());
    JsonNode summary = Json.MAPPER.readTree(export.out());
    assertEquals(6, summary.get("matMuls").asInt(), "projection, 4 in the layer, head");
    assertEquals(1, summary.get("gathers").asInt(), "the word table");
    Path int8 = dir.resolve("student-int8");
    assertTrue(summary.get("bytes").asLong() < summary.get("sourceBytes").asLong() / 3);
    assertTrue(Json.MAPPER.readTree(int8.resolve("config.json").toFile())
        .at("/distillery/quantization").asText().startsWith("int8"));
    assertTrue(Files.isRegularFile(int8.resolve("tokenizer.json")));

    CliRun again = CliRun.of("export", "--int8", "--model", int8.toString(), "--out",
        dir.resolve("twice").toString());
    assertEquals(2, again.exitCode(), again.err());
    assertTrue(again.err().contains("already quantised"), again.err());

    // ONNX Runtime's fused kernels, alone and with int8; a folder that is no student is refused
    CliRun fused = CliRun.of("export", "--ort-fused", "--model", student.toString(), "--json");
    assertEquals(0, fused.exitCode(), fused.err());
    assertTrue(Json.MAPPER.readTree(fused.out()).get("ortFused").asBoolean());
    Path fusedDir = dir.resolve("student-fused");
    assertTrue(Json.MAPPER.readTree(fusedDir.resolve("config.json").toFile())
        .at("/distillery/ort_fused").asText().contains("ONNX Runtime only"));
    CliRun fusedInt8 = CliRun.of("export", "--ort-fused", "--int8", "--model", student.toString());
    assertEquals(0, fusedInt8.exitCode(), fusedInt8.err());
    Path fusedInt8Dir = dir.resolve("student-fused-int8");
    CliRun fusedTeacher = CliRun.of("export", "--ort-fused", "--int8", "--model",
        teacher.toString(), "--out", dir.resolve("teacher-fused").toString());
    assertEquals(2, fusedTeacher.exitCode(), fusedTeacher.err());
    assertTrue(fusedTeacher.err().contains("drop --ort-fused"), fusedTeacher.err());

    Path data = dir.resolve("data.jsonl");
    Files.writeString(data, "{\"text\":\"I loved it\",\"label\":1}\n"
        + "{\"text\":\"awful, never again\",\"label\":0}\n{\"text\":\"fine I guess\",\"label\":1}\n");
    CliRun bench = CliRun.of("bench", "--teacher", teacher.toString(), "--student",
        student.toString(), int8.toString(), rebuilt.toString(), fusedDir.toString(),
        fusedInt8Dir.toString(), "--data", data.toString(), "--latency-runs", "20",
        "--reps", "1", "--out", dir.resolve("bench").toString(), "--json");
    assertEquals(0, bench.exitCode(), bench.err());
    JsonNode report = Json.MAPPER.readTree(bench.out());
    assertEquals(6, report.get("models").size());
    assertEquals("student fused", report.at("/models/4/role").asText());
    assertEquals("student fused int8", report.at("/models/5/role").asText());
    assertEquals(1.0, report.at("/students/3/agreementWithFirst").asDouble(), 0.0,
        "the fused student predicts what the plain one does");
    assertEquals("student 2", report.at("/models/3/role").asText());
    assertEquals(1.0, report.at("/students/2/agreementWithFirst").asDouble(), 0.0,
        "the rebuilt student predicts what the original does");
    assertEquals("student int8", report.at("/models/2/role").asText());
    assertEquals(1.0, report.at("/students/0/agreementWithFirst").asDouble(), 0.0);
    double agreement = report.at("/students/1/agreementWithFirst").asDouble();
    assertTrue(agreement >= 0 && agreement <= 1, report.toString());
    assertTrue(report.at("/students/1/p50SpeedupOverTeacher").asDouble() > 0);
    assertTrue(Files.readString(dir.resolve("bench/report.md")).contains("student int8 vs student"));
  }

  private static StudentWeights randomWeights(StudentArchitecture arch) {
    SplittableRandom rnd = new SplittableRandom(3);
    Map<String, WeightTensor> t = new LinkedHashMap<>();
    arch.weightShapes().forEach((name, shape) -> {
      float[] v = new float[(int) Arrays.stream(shape).reduce(1, (x, y) -> x * y)];
      for (int i = 0; i < v.length; i++) {
        v[i] = (float) (rnd.nextGaussian() * 0.3);
      }
      t.put(name, new WeightTensor(shape, v));
    });
    return new StudentWeights(arch, t);
  }
}
