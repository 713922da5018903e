package io.distillery.runtime.batch;

/**
 * One model call's worth of texts.
 *
 * @param rows the input indices of the texts in this batch, in batch-row order
 * @param seqLength the batch's padded length: its longest row's token count (at least 1)
 */
public record Batch(int[] rows, int seqLength) {
  public Batch {
    if (rows.length == 0) {
      throw new IllegalArgumentException("a batch needs at least one row");
    }
    if (seqLength < 1) {
      throw new IllegalArgumentException("seqLength must be >= 1, got " + seqLength);
    }
  }

  public int size() {
    return rows.length;
  }

  /** Positions the model computes for this batch, padding included: {@code size * seqLength}. */
  public long paddedPositions() {
    return (long) rows.length * seqLength;
  }
}
