package io.distillery.runtime.batch;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.distillery.core.ConfigException;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class BatchPlanTest {
  private static final int[] LENGTHS = {5, 1, 9, 3, 7};

  @Test
  void bucketedSortsLongestFirstAndPadsEachBatchToItsOwnLongestRow() {
    BatchPlan plan = BatchPlan.of(LENGTHS, new BatchConfig(2, BatchOrder.LENGTH_BUCKETED));
    List<Batch> batches = plan.batches();
    assertEquals(3, batches.size());
    // Sorted: 9 (#2), 7 (#4), 5 (#0), 3 (#3), 1 (#1); the short batch takes the longest text.
    assertArrayEquals(new int[] {2}, batches.get(0).rows());
    assertArrayEquals(new int[] {4, 0}, batches.get(1).rows());
    assertArrayEquals(new int[] {3, 1}, batches.get(2).rows());
    assertEquals(List.of(9, 7, 3), batches.stream().map(Batch::seqLength).toList());
    assertEquals(25, plan.realTokens());
    assertEquals(9 + 2 * 7 + 2 * 3, plan.paddedPositions());
    assertEquals(5, plan.texts());
    assertEquals(9, plan.longestSeqLength());
  }

  @Test
  void fileOrderKeepsInputOrder() {
    BatchPlan plan = BatchPlan.of(LENGTHS, new BatchConfig(2, BatchOrder.FILE_ORDER));
    assertArrayEquals(new int[] {0, 1}, plan.batches().get(0).rows());
    assertArrayEquals(new int[] {2, 3}, plan.batches().get(1).rows());
    assertArrayEquals(new int[] {4}, plan.batches().get(2).rows());
    assertEquals(25, plan.realTokens());
    assertEquals(2 * 5 + 2 * 9 + 7, plan.paddedPositions());
  }

  @Test
  void everyIndexIsPlannedOnceAndBucketingNeverPadsMore() {
    Random random = new Random(3);
    for (int trial = 0; trial < 50; trial++) {
      int[] lengths = random.ints(1 + random.nextInt(200), 0, 129).toArray();
      int batchSize = 1 + random.nextInt(40);
      BatchPlan bucketed = BatchPlan.of(lengths, new BatchConfig(batchSize, BatchOrder.LENGTH_BUCKETED));
      BatchPlan fileOrder = BatchPlan.of(lengths, new BatchConfig(batchSize, BatchOrder.FILE_ORDER));
      for (BatchPlan plan : List.of(bucketed, fileOrder)) {
        int[] seen = plan.batches().stream().flatMapToInt(b -> Arrays.stream(b.rows())).sorted().toArray();
        assertArrayEquals(IntStream.range(0, lengths.length).toArray(), seen);
        for (Batch batch : plan.batches()) {
          int longest = Arrays.stream(batch.rows()).map(i -> lengths[i]).max().orElseThrow();
          assertEquals(Math.max(1, longest), batch.seqLength());
        }
        assertEquals(Arrays.stream(lengths).asLongStream().sum(), plan.realTokens());
      }
      assertEquals(fileOrder.batches().size(), bucketed.batches().size());
      if (bucketed.paddedPositions() > fileOrder.paddedPositions()) {
        throw new AssertionError("bucketing padded more: " + bucketed + " vs " + fileOrder);
      }
    }
  }

  @Test
  void shortBatchOfLongTextsBeatsFileOrder() {
    int[] lengths = {1, 1, 9};
    assertEquals(2 + 9, BatchPlan.of(lengths, new BatchConfig(2, BatchOrder.FILE_ORDER)).paddedPositions());
    assertEquals(9 + 2, BatchPlan.of(lengths, new BatchConfig(2, BatchOrder.LENGTH_BUCKETED)).paddedPositions());
  }

  @Test
  void noTextsNoBatches() {
    BatchPlan plan = BatchPlan.of(new int[0], BatchConfig.defaults());
    assertEquals(0, plan.batches().size());
    assertEquals(0, plan.longestSeqLength());
  }

  @Test
  void configIsValidated() {
    assertThrows(ConfigException.class, () -> new BatchConfig(0, BatchOrder.FILE_ORDER));
    assertThrows(ConfigException.class, () -> new BatchConfig(8, null));
    assertEquals(32, BatchConfig.defaults().batchSize());
    assertEquals(BatchOrder.LENGTH_BUCKETED, BatchConfig.defaults().order());
  }
}
