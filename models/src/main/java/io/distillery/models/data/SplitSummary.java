package io.distillery.models.data;

import java.util.EnumMap;
import java.util.Map;

/**
 * Counts and checksums of one task's split, as written into its README and {@code split.json}.
 *
 * @param task the task
 * @param read examples the package ships (before deduplication)
 * @param duplicatesRemoved exact duplicate texts dropped (first occurrence by id kept)
 * @param labelConflicts dropped duplicates whose label differed from the kept copy
 * @param counts per split, examples per label index
 * @param sha256 per split, SHA-256 of its JSON Lines file
 */
public record SplitSummary(
    DemoTask task,
    int read,
    int duplicatesRemoved,
    int labelConflicts,
    Map<Split, int[]> counts,
    Map<Split, String> sha256) {
  public SplitSummary {
    counts = new EnumMap<>(counts);
    sha256 = new EnumMap<>(sha256);
  }

  /** Examples kept after deduplication. */
  public int kept() {
    return read - duplicatesRemoved;
  }

  /** Examples in one split, all labels together. */
  public int total(Split which) {
    int n = 0;
    for (int c : counts.get(which)) {
      n += c;
    }
    return n;
  }

  /** Per-label counts of one split. */
  public static int[] countLabels(Iterable<LabelledText> examples, int numLabels) {
    int[] c = new int[numLabels];
    for (LabelledText e : examples) {
      c[e.label()]++;
    }
    return c;
  }
}
