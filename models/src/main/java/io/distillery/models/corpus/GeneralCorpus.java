package io.distillery.models.corpus;

import io.distillery.core.ConfigException;
import io.distillery.models.data.DataLayout;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;

/**
 * General-domain English for the demo generator, balanced across {@link CorpusSource}s: each
 * source's documents are shuffled (seeded) and cut to the same byte budget, so no source (the
 * State of the Union speeches are 5x Moby-Dick) dominates; the first {@code heldOutFraction} of
 * each source's kept bytes is held out for evaluation.
 *
 * @param train training documents, sources interleaved in a seeded order
 * @param heldOut held-out documents, in source order
 * @param sources what each source gave
 */
public record GeneralCorpus(List<String> train, List<String> heldOut, List<SourceStats> sources) {

  /**
   * One source's share.
   *
   * @param documents documents the source has
   * @param availableBytes UTF-8 bytes the source has
   * @param trainBytes UTF-8 bytes it gave to training
   * @param heldOutBytes UTF-8 bytes it gave to the held-out split
   */
  public record SourceStats(CorpusSource source, int documents, long availableBytes,
      long trainBytes, long heldOutBytes) {}

  /** Total training bytes. */
  public long trainBytes() {
    return sources.stream().mapToLong(SourceStats::trainBytes).sum();
  }

  /** Total held-out bytes. */
  public long heldOutBytes() {
    return sources.stream().mapToLong(SourceStats::heldOutBytes).sum();
  }

  /**
   * Reads every source and balances them.
   *
   * @param bytesPerSource UTF-8 bytes kept per source (a smaller source gives all it has)
   * @param heldOutFraction share of each source's kept bytes held out, in (0, 0.5]
   */
  public static GeneralCorpus build(DataLayout layout, List<CorpusSource> sources,
      long bytesPerSource, double heldOutFraction, long seed) {
    if (bytesPerSource <= 0 || !(heldOutFraction > 0 && heldOutFraction <= 0.5)) {
      throw new ConfigException("bytesPerSource must be > 0 and heldOutFraction in (0, 0.5], got "
          + bytesPerSource + " and " + heldOutFraction);
    }
    List<String> train = new ArrayList<>();
    List<String> heldOut = new ArrayList<>();
    List<SourceStats> stats = new ArrayList<>();
    for (CorpusSource source : sources) {
      List<String> docs = new ArrayList<>(source.documents(layout));
      long available = docs.stream().mapToLong(GeneralCorpus::bytes).sum();
      Collections.shuffle(docs, new Random(seed * 31 + source.ordinal()));
      long budget = Math.min(bytesPerSource, available);
      long heldBudget = (long) (budget * heldOutFraction);
      long kept = 0;
      long held = 0;
      for (String d : docs) {
        if (kept >= budget) {
          break;
        }
        long n = bytes(d);
        if (held < heldBudget) {
          heldOut.add(d);
          held += n;
        } else {
          train.add(d);
        }
        kept += n;
      }
      stats.add(new SourceStats(source, docs.size(), available, kept - held, held));
    }
    Collections.shuffle(train, new Random(seed));
    return new GeneralCorpus(train, heldOut, stats);
  }

  private static long bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8).length;
  }
}
