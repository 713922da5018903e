package io.distillery.spark.label;

import java.io.Serializable;
import org.apache.spark.TaskContext;

/**
 * Runs on the executor before a partition is labelled. Production passes {@link #NONE}; the
 * fault-tolerance test throws on a chosen task's first attempt to see Spark retry it.
 */
@FunctionalInterface
public interface TaskHook extends Serializable {
  TaskHook NONE = context -> {};

  void beforePartition(TaskContext context);
}
