package io.distillery.genkd;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDScope;
import ai.djl.nn.Parameter;
import io.distillery.genkd.loss.TokenKl;
import io.distillery.genkd.train.GenKdMethod;
import io.distillery.genkd.train.GenKdModels;
import io.distillery.genkd.train.GenKdSteps;
import io.distillery.genkd.train.ResponseBatch;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The prompt step moves only the prompt; the student step moves only the student. */
class GenKdStepsTest {
  @TempDir static Path dir;
  static Path teacher;

  @BeforeAll
  static void folders() throws Exception {
    teacher = TinyModels.folder(dir.resolve("teacher"), TinyModels.TEACHER, 3);
  }

  static ResponseBatch batch(GenKdModels models) {
    List<int[]> prefixes = List.of(new int[] {TinyModels.EOS, 10, 11, 12}, new int[] {
        TinyModels.EOS, 40});
    List<int[]> responses = List.of(new int[] {13, 14}, new int[] {41, 42, 43, TinyModels.EOS});
    return ResponseBatch.of(models.manager(), prefixes, responses);
  }

  @Test
  void promptStepChangesOnlyThePromptAndStudentStepOnlyTheStudent() {
    try (GenKdModels models = GenKdModels.open(teacher, null,
        TinyModels.config(GenKdMethod.PROMPT_KD, 4))) {
      GenKdSteps steps = new GenKdSteps(models, 1.0);
      assertEquals(3 * 16, models.prompt().size()); // K x C
      try (NDScope scope = new NDScope()) {
        ResponseBatch b = batch(models);
        assertEquals(2 + 4, b.responseTokens());
        Map<String, float[]> t0 = snapshot(models.teacher().namedParameters());
        Map<String, float[]> s0 = snapshot(models.student().namedParameters());
        float[] p0 = models.prompt().array().toFloatArray();

        NDArray pt = steps.teacherLogits(b);
        NDArray qs = steps.studentLogits(b);
        GenKdSteps.PromptResult r = steps.promptStep(b, pt, qs, 0.75, 1e-2);
        // the reported terms are the KLs of the prompted teacher before the update
        assertTrue(r.towardStudent() > 0 && r.regulariser() >= 0, r.toString());
        assertEquals(0.75 * r.regulariser() + r.towardStudent(), r.loss(), 1e-5);
        float[] p1 = models.prompt().array().toFloatArray();
        assertTrue(maxAbsDiff(p0, p1) > 1e-4, "the prompt moved");
        assertUnchanged(t0, models.teacher().namedParameters(), "teacher");
        assertUnchanged(s0, models.student().namedParameters(), "student");

        Map<String, float[]> s1 = snapshot(models.student().namedParameters());
        NDArray prompted = steps.promptedTeacherLogits(b, false).stopGradient();
        GenKdSteps.StepResult sr = steps.reverseKl(b, prompted, 1e-2);
        assertEquals(TokenKl.mean(qs, prompted, b.mask()).getFloat(), sr.loss(), 1e-5);
        assertArrayEquals(p1, models.prompt().array().toFloatArray(), 0f);
        assertUnchanged(t0, models.teacher().namedParameters(), "teacher");
        double moved = 0;
        for (var e : models.student().namedParameters().entrySet()) {
          moved = Math.max(moved, maxAbsDiff(s1.get(e.getKey()),
              e.getValue().getArray().toFloatArray()));
        }
        assertTrue(moved > 1e-4, "the student moved, max delta " + moved);
      }
    }
  }

  @Test
  void promptedTeacherLogitsAlignWithThePlainOnesAndDiffer() {
    try (GenKdModels models = GenKdModels.open(teacher, null,
        TinyModels.config(GenKdMethod.PROMPT_KD, 4))) {
      GenKdSteps steps = new GenKdSteps(models, 1.0);
      try (NDScope scope = new NDScope()) {
        ResponseBatch b = batch(models);
        NDArray prompted = steps.promptedTeacherLogits(b, false);
        NDArray plain = steps.teacherLogits(b);
        assertArrayEquals(plain.getShape().getShape(), prompted.getShape().getShape());
        // prompt positions dropped: same shape; the prompt adds context, so the distributions differ
        assertTrue(TokenKl.mean(prompted, plain, b.mask()).getFloat() > 1e-6);
      }
    }
  }

  static Map<String, float[]> snapshot(Map<String, Parameter> params) {
    Map<String, float[]> out = new LinkedHashMap<>();
    params.forEach((k, v) -> out.put(k, v.getArray().toFloatArray()));
    return out;
  }

  static void assertUnchanged(Map<String, float[]> before, Map<String, Parameter> now,
      String what) {
    List<String> changed = new ArrayList<>();
    before.forEach((k, v) -> {
      if (maxAbsDiff(v, now.get(k).getArray().toFloatArray()) != 0) {
        changed.add(k);
      }
    });
    assertEquals(List.of(), changed, what + " parameters changed");
  }

  static double maxAbsDiff(float[] a, float[] b) {
    double d = 0;
    for (int i = 0; i < a.length; i++) {
      d = Math.max(d, Math.abs(a[i] - b[i]));
    }
    return d;
  }
}
