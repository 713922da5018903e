package io.distillery.synth.source;

import java.util.List;

/** Serving order for per-label rankings: rank 0 of every label, then rank 1 of every label, ... */
public final class LabelInterleave {
  private LabelInterleave() {}

  /** The items of {@code byLabel} (each list best first), labels taking turns. */
  public static int[] interleave(List<List<Integer>> byLabel) {
    int total = byLabel.stream().mapToInt(List::size).sum();
    int[] out = new int[total];
    int n = 0;
    for (int rank = 0; n < total; rank++) {
      for (List<Integer> l : byLabel) {
        if (rank < l.size()) {
          out[n++] = l.get(rank);
        }
      }
    }
    return out;
  }
}
