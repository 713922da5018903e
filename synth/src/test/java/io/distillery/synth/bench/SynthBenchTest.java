package io.distillery.synth.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.distillery.synth.filter.FilterConfig;
import io.distillery.synth.source.GenerationSettings;
import io.distillery.synth.testing.TinyGenerator;
import io.distillery.synth.testing.TinyTeacher;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.util.List;
import org.junit.jupiter.api.Test;

class SynthBenchTest {
  @Test
  void comparesTheOldAndNewPathsOnTheSameTexts() {
    ByteArrayOutputStream log = new ByteArrayOutputStream();
    // the tiny random generator writes noise: loose filters, and a character limit that cuts
    FilterConfig loose = new FilterConfig(2, 200, 1, 60, 0, 0, true, true, 3, 0.8, 10_000);
    SynthBench.Report r = new SynthBench(new PrintStream(log, true)).run(
        new SynthBench.Config(TinyGenerator.folder(), TinyTeacher.folder(), 24, 1, 8,
            List.of(0, 3), 5, true),
        c -> c.withFilters(loose)
            .withGeneration(new GenerationSettings(32, 1.0, 0, 1.0, List.of(), 4, 16)));

    assertEquals(5, r.paths().size()); // old, rows = draw, rows 3, 1+1 threads in line / ahead
    SynthBench.PathResult old = r.paths().get(0);
    assertTrue(old.name().startsWith("old"), old.name());
    for (SynthBench.PathResult p : r.paths()) {
      assertEquals(24, p.samples(), p.name());
      assertTrue(p.sameTextsAsOld(), p.name() + " wrote other texts than the old path");
      assertEquals(old.candidates(), p.candidates(), p.name());
      assertEquals(old.tokensKept(), p.tokensKept(), p.name());
      assertTrue(p.medianSeconds().get("generate") > 0 && p.medianSeconds().get("label") > 0);
      assertEquals(List.of("generate", "filter", "label", "write", "other", "total"),
          List.copyOf(p.medianSeconds().keySet()));
      assertEquals(1, p.samplesPerSec().length);
    }
    for (SynthBench.PathResult p : r.paths().subList(1, 3)) {
      assertTrue(p.tokensGenerated() < old.tokensGenerated() * 3 / 4,
          p.name() + ": " + p.tokensGenerated() + " tokens vs " + old.tokensGenerated());
      assertTrue(p.discardedShare() < old.discardedShare());
    }
    assertEquals(0, r.paths().get(3).batchesDrawnAhead());
    assertTrue(r.paths().get(4).batchesDrawnAhead() > 0, r.paths().get(4).toString());
    assertEquals(4, r.speedup().size());
    String md = SynthBench.markdown(r);
    assertTrue(md.contains("| new: stop at cut, rows 3 |") && md.contains("discarded"), md);
    assertTrue(md.contains("label surplus") && md.contains("draw ahead"), md);
    assertTrue(log.toString().contains("rep 1/1"), log.toString());
  }

  @Test
  void drawsAheadAtOtherDrawSizesAndWithAnotherLabelTeacher() {
    FilterConfig loose = new FilterConfig(2, 200, 1, 60, 0, 0, true, true, 3, 0.8, 10_000);
    SynthBench.Report r = new SynthBench(new PrintStream(new ByteArrayOutputStream(), true)).run(
        new SynthBench.Config(TinyGenerator.folder(), TinyTeacher.folder(), 24, 1, 8,
            List.of(0), 5, true, List.of(12), TinyTeacher.folder()),
        c -> c.withFilters(loose)
            .withGeneration(new GenerationSettings(32, 1.0, 0, 1.0, List.of(), 4, 16)));
    // old, rows = draw, in line, ahead; label teacher at 8; ahead and label teacher at 12
    assertEquals(7, r.paths().size(), r.paths().toString());
    List<SynthBench.PathResult> at12 = r.paths().stream().filter(p -> p.batchSize() == 12).toList();
    assertEquals(2, at12.size());
    for (SynthBench.PathResult p : r.paths()) {
      assertEquals(24, p.samples(), p.name());
      // the same classifier under another name labels alike, so every path keeps its draw's texts
      assertTrue(p.sameTextsAsOld(), p.name());
    }
    assertTrue(at12.get(1).name().contains("label teacher"), at12.get(1).name());
    assertTrue(at12.get(0).batchesDrawnAhead() > 0 || at12.get(0).candidates() <= 24,
        at12.get(0).toString());
  }
}
