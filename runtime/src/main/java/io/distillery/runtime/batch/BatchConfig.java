package io.distillery.runtime.batch;

import io.distillery.core.ConfigException;

/**
 * How a classifier or encoder batches its inputs.
 *
 * @param batchSize texts per onnxruntime call
 * @param order length-bucketed (default) or file order
 */
public record BatchConfig(int batchSize, BatchOrder order) {
  public static final int MAX_BATCH_SIZE = 4096;
  public static final int DEFAULT_BATCH_SIZE = 32;

  public BatchConfig {
    if (batchSize < 1 || batchSize > MAX_BATCH_SIZE) {
      throw new ConfigException("batchSize must be 1.." + MAX_BATCH_SIZE + ", got " + batchSize);
    }
    if (order == null) {
      throw new ConfigException("batch order must be set (length_bucketed or file_order)");
    }
  }

  /** Batches of {@value #DEFAULT_BATCH_SIZE}, length-bucketed. */
  public static BatchConfig defaults() {
    return new BatchConfig(DEFAULT_BATCH_SIZE, BatchOrder.LENGTH_BUCKETED);
  }

  public BatchConfig withBatchSize(int size) {
    return new BatchConfig(size, order);
  }

  public BatchConfig withOrder(BatchOrder newOrder) {
    return new BatchConfig(batchSize, newOrder);
  }
}
