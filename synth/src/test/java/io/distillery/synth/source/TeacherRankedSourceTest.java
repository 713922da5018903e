package io.distillery.synth.source;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.distillery.runtime.classify.Classifier;
import io.distillery.runtime.classify.Logits;
import io.distillery.synth.testing.Sentences;
import io.distillery.synth.testing.TinyTeacher;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TeacherRankedSourceTest {
  @TempDir Path dir;

  @Test
  void labelsTakeTurnsAndEachLabelsSurestComeFirst() {
    Path file = Sentences.write(dir.resolve("c.txt"), Sentences.distinct(120, 3));
    RawCorpusSource raw = RawCorpusSource.open(file, RawCorpusSource.Unit.LINE);
    Classifier teacher = TinyTeacher.model().classifier();
    TeacherRankedSource s = new TeacherRankedSource(raw, teacher, 80, 2);
    s.startShard(new ShardStart(0, 9, 9, 0));
    List<String> served = s.next(200).stream().map(Candidate::text).toList();
    assertEquals(80, served.size(), "the pool, each unit once");
    assertEquals(new HashSet<>(raw.pool(9, 80)), new HashSet<>(served), "the same pool as raw.pool");
    // the teacher's verdicts as the source computed them: the same texts in the same batches (the
    // int8 test teacher quantises activations per batch, so other batches give other logits)
    List<String> pool = raw.pool(9, 80);
    float[][] poolLogits = teacher.logits(pool);
    java.util.Map<String, float[]> verdict = new java.util.HashMap<>();
    for (int i = 0; i < pool.size(); i++) {
      verdict.put(pool.get(i), poolLogits[i]);
    }
    assertTrue(Logits.argmax(verdict.get(served.get(0))) != Logits.argmax(verdict.get(served.get(1))),
        "the first two served are one of each label");
    for (int label = 0; label < 2; label++) {
      double last = 1.0;
      for (String t : served) {
        float[] z = verdict.get(t);
        if (Logits.argmax(z) == label) {
          double p = Logits.softmax(z)[label];
          assertTrue(p <= last, "descending confidence: " + p + " after " + last);
          last = p;
        }
      }
    }
    // a later shard continues where the candidates left off
    s.startShard(new ShardStart(1, 9, 10, 30));
    assertEquals(served.subList(30, 40), s.next(10).stream().map(Candidate::text).toList());
  }

  @Test
  void interleaveAlternatesLabelsUntilEachRunsOut() {
    assertArrayEquals(new int[] {1, 5, 2, 6, 3, 4},
        LabelInterleave.interleave(List.of(List.of(1, 2, 3, 4), List.of(5, 6))));
  }
}
