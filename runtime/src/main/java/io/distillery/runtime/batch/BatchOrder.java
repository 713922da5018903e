package io.distillery.runtime.batch;

/** How texts are grouped into batches. */
public enum BatchOrder {
  /**
   * Sort by token length, then cut into batches, so each batch holds texts of similar length and
   * little padding; results are put back in input order.
   */
  LENGTH_BUCKETED,
  /** Batches in input order, as a baseline: padding depends on which texts happen to be adjacent. */
  FILE_ORDER
}
