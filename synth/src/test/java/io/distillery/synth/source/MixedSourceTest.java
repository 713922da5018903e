package io.distillery.synth.source;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.distillery.core.Json;
import io.distillery.synth.corpus.CorpusRecord;
import io.distillery.synth.prompt.Prompt;
import io.distillery.synth.prompt.ScoredSample;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class MixedSourceTest {
  /** Serves "name-i" for i = candidatesBefore, ...; records the feedback and resume it gets. */
  private static final class Counting implements TextSource {
    final String name;
    final boolean prompted;
    final int limit;
    long cursor;
    final List<String> feedback = new ArrayList<>();
    final List<String> resumed = new ArrayList<>();

    Counting(String name, boolean prompted, int limit) {
      this.name = name;
      this.prompted = prompted;
      this.limit = limit;
    }

    @Override
    public void startShard(ShardStart start) {
      cursor = start.candidatesBefore();
    }

    @Override
    public List<Candidate> next(int n) {
      List<Candidate> out = new ArrayList<>();
      for (int i = 0; i < n && cursor < limit; i++) {
        String text = name + "-" + cursor++;
        out.add(prompted ? new Candidate(text, "p", 0, -1) : Candidate.raw(text));
      }
      return out;
    }

    @Override
    public void feedback(List<ScoredSample> samples) {
      samples.forEach(s -> feedback.add(s.text()));
    }

    @Override
    public void resume(int shards, List<CorpusRecord> corpus) {
      corpus.forEach(r -> resumed.add(r.text()));
    }

    @Override
    public ObjectNode describe() {
      return Json.MAPPER.createObjectNode().put("kind", name);
    }
  }

  private static List<String> texts(List<Candidate> batch) {
    return batch.stream().map(Candidate::text).toList();
  }

  @Test
  void theShareHoldsAndAShardStartingMidwayContinuesTheSameSequence() {
    MixedSource whole = new MixedSource(new Counting("gen", true, 1000),
        new Counting("raw", false, 1000), 0.4);
    whole.startShard(new ShardStart(0, 1, 1, 0));
    List<String> all = new ArrayList<>();
    for (int n : new int[] {7, 1, 13, 29}) {
      all.addAll(texts(whole.next(n)));
    }
    assertEquals(50, all.size());
    assertEquals(20, all.stream().filter(t -> t.startsWith("raw")).count(), "0.4 of 50");
    // the same run split into two shards with other batch sizes: the same candidates
    MixedSource resumed = new MixedSource(new Counting("gen", true, 1000),
        new Counting("raw", false, 1000), 0.4);
    resumed.startShard(new ShardStart(0, 1, 1, 0));
    List<String> again = new ArrayList<>(texts(resumed.next(18)));
    resumed.startShard(new ShardStart(1, 1, 2, 18));
    again.addAll(texts(resumed.next(32)));
    assertEquals(all, again);
  }

  @Test
  void feedbackAndResumeReachThePartThatWroteEachText() {
    Counting gen = new Counting("gen", true, 1000);
    Counting raw = new Counting("raw", false, 1000);
    MixedSource mix = new MixedSource(gen, raw, 0.5);
    mix.startShard(new ShardStart(0, 1, 1, 0));
    List<Candidate> batch = mix.next(6);
    List<ScoredSample> scored = new ArrayList<>();
    for (Candidate c : batch.subList(0, 5)) { // the shard filled before the last was scored
      scored.add(ScoredSample.filtered(c.prompt(), c.intendedLabel(), c.text(), Double.NaN));
    }
    mix.feedback(scored);
    assertEquals(List.of("gen-0", "gen-1", "gen-2"), gen.feedback);
    assertEquals(List.of("raw-0", "raw-1"), raw.feedback);
    // a batch of one raw candidate: the generator part has nothing pending and hears nothing
    mix.startShard(new ShardStart(1, 1, 2, 1));
    List<Candidate> one = mix.next(1);
    assertEquals(List.of("raw-0"), texts(one));
    mix.feedback(List.of(ScoredSample.filtered("", Prompt.NO_LABEL, "raw-0", Double.NaN)));
    assertEquals(3, gen.feedback.size());

    CorpusRecord g = new CorpusRecord(0, "gen-0", 0, "a", new float[] {1, 0}, "p", 0, -1.0);
    CorpusRecord r = new CorpusRecord(1, "raw-0", 1, "b", new float[] {0, 1}, "", Prompt.NO_LABEL,
        Double.NaN);
    mix.resume(1, List.of(g, r));
    assertEquals(List.of("gen-0"), gen.resumed);
    assertEquals(List.of("raw-0"), raw.resumed);
  }

  @Test
  void aPartRunningDryFailsInsteadOfShiftingTheMix() {
    MixedSource mix = new MixedSource(new Counting("gen", true, 1000),
        new Counting("raw", false, 3), 0.5);
    mix.startShard(new ShardStart(0, 1, 1, 0));
    assertThrows(IllegalStateException.class, () -> mix.next(10));
  }
}
