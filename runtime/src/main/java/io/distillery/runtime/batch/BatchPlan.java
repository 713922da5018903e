package io.distillery.runtime.batch;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.stream.IntStream;

/**
 * Cuts texts into batches by their token lengths. With {@link BatchOrder#LENGTH_BUCKETED} the
 * texts are sorted by length (longest first, ties in input order) before cutting, so each batch
 * is padded only to a length close to all of its rows, and the longest batch runs first (memory
 * problems show at once); when the count is not a multiple of the batch size, the short batch is
 * the first one. {@link BatchOrder#FILE_ORDER} cuts in input order, short batch last. Each
 * {@link Batch} remembers its rows' input indices, so results go back in input order.
 *
 * @param batches the batches, in execution order
 * @param realTokens sum of all texts' token counts (what the model must compute)
 * @param paddedPositions sum over batches of rows x seqLength (what the model does compute)
 */
public record BatchPlan(List<Batch> batches, long realTokens, long paddedPositions) {
  public BatchPlan {
    batches = List.copyOf(batches);
  }

  /**
   * Plans batches for texts of the given token lengths.
   *
   * @param lengths {@code lengths[i]} is text i's token count (after truncation)
   */
  public static BatchPlan of(int[] lengths, BatchConfig config) {
    Integer[] order = IntStream.range(0, lengths.length).boxed().toArray(Integer[]::new);
    if (config.order() == BatchOrder.LENGTH_BUCKETED) {
      // Arrays.sort on objects is stable: equal lengths keep input order.
      Arrays.sort(order, Comparator.comparingInt((Integer i) -> lengths[i]).reversed());
    }
    // Bucketed: the one short batch takes the longest texts, so it carries the costliest padding
    // length on the fewest rows; in file order it is simply the last one.
    int first = order.length % config.batchSize();
    if (config.order() == BatchOrder.FILE_ORDER || first == 0) {
      first = config.batchSize();
    }
    List<Batch> batches = new ArrayList<>();
    long real = 0;
    long padded = 0;
    for (int start = 0; start < order.length; ) {
      int end = Math.min(order.length, start + (batches.isEmpty() ? first : config.batchSize()));
      int[] rows = new int[end - start];
      int longest = 1;
      for (int r = 0; r < rows.length; r++) {
        rows[r] = order[start + r];
        if (lengths[rows[r]] < 0) {
          throw new IllegalArgumentException("negative length " + lengths[rows[r]] + " at " + rows[r]);
        }
        longest = Math.max(longest, lengths[rows[r]]);
        real += lengths[rows[r]];
      }
      Batch batch = new Batch(rows, longest);
      padded += batch.paddedPositions();
      batches.add(batch);
      start = end;
    }
    return new BatchPlan(batches, real, padded);
  }

  /** Number of texts planned. */
  public int texts() {
    return batches.stream().mapToInt(Batch::size).sum();
  }

  /** The longest padded length over all batches (0 when there are no texts). */
  public int longestSeqLength() {
    return batches.stream().mapToInt(Batch::seqLength).max().orElse(0);
  }
}
