package io.distillery.runtime.generate;

import io.distillery.core.ConfigException;

/**
 * How generation fills its batch. The results never depend on it (each prompt samples from its
 * own stream); only the speed does.
 *
 * @param maxRows rows in the batch at most; 0 puts every prompt in at once
 * @param rowsLeave whether a finished row leaves the batch (its row is dropped or given to a
 *     waiting prompt once enough rows have finished); without it every row stays, computed and
 *     ignored, until the whole batch is finished
 */
public record Batching(int maxRows, boolean rowsLeave) {
  public Batching {
    if (maxRows < 0) {
      throw new ConfigException("maxRows must be >= 0 (0 = all prompts at once), got " + maxRows);
    }
  }

  /** Every prompt in the batch at once; finished rows leave it. */
  public static Batching all() {
    return new Batching(0, true);
  }

  /** Continuous batching: at most {@code maxRows} rows; waiting prompts take the freed rows. */
  public static Batching rows(int maxRows) {
    return new Batching(maxRows, true);
  }

  /**
   * Every prompt at once, and every row runs until the last one is finished: the batching before
   * rows could leave, kept as a benchmark baseline.
   */
  public static Batching fixed() {
    return new Batching(0, false);
  }
}
