package io.distillery.models.corpus;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.distillery.models.data.DataLayout;
import java.util.List;
import org.junit.jupiter.api.Test;

class GeneralCorpusTest {
  @Test
  void everySourceGivesTheSameBudgetWithAHeldOutShare() {
    DataLayout layout = DataLayout.detect();
    List<CorpusSource> all = List.of(CorpusSource.values());
    GeneralCorpus a = GeneralCorpus.build(layout, all, 40_000, 0.1, 5);
    assertEquals(5, a.sources().size());
    for (GeneralCorpus.SourceStats s : a.sources()) {
      long kept = s.trainBytes() + s.heldOutBytes();
      assertTrue(s.availableBytes() > 1_000_000, s.source() + " has " + s.availableBytes());
      assertTrue(kept >= 40_000 && kept < 60_000, s.source() + " kept " + kept);
      assertTrue(s.heldOutBytes() >= 4_000 && s.heldOutBytes() < 12_000,
          s.source() + " held out " + s.heldOutBytes());
    }
    assertTrue(a.train().stream().noneMatch(a.heldOut()::contains), "splits are disjoint");
    List<CorpusSource> small = List.of(CorpusSource.FORTUNES, CorpusSource.MOBY_DICK);
    assertEquals(GeneralCorpus.build(layout, small, 40_000, 0.1, 5).train(),
        GeneralCorpus.build(layout, small, 40_000, 0.1, 5).train(),
        "seeded, so a rebuild is identical");
    assertTrue(a.train().stream().anyMatch(d -> d.contains("whale") || d.contains("Whale")));
  }
}
