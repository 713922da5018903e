package io.distillery.spark.label;

import java.util.concurrent.Callable;

/**
 * Runs native-heavy work (opening an ONNX Runtime session, tokenizing, labelling) on a thread with
 * a large stack. Measured here: opening the 90 MB all-MiniLM-L6-v2 sentiment teacher crashed the
 * JVM with SIGSEGV on a main thread with -Xss1m or -Xss4m once Spark's JVM options were added, and
 * ran with -Xss16m; Spark's task threads get the default stack, which we do not control on a
 * cluster. A dedicated thread makes the stack independent of how the JVM was started.
 */
public final class DeepStack {
  /** Stack of the work thread: 4x what was needed. */
  public static final long STACK_BYTES = 64L << 20;

  private DeepStack() {}

  /** Runs {@code work} on a fresh thread with a {@link #STACK_BYTES} stack and waits for it. */
  public static <T> T call(String name, Callable<T> work) {
    Object[] result = new Object[1];
    Throwable[] failure = new Throwable[1];
    Thread t = new Thread(null, () -> {
      try {
        result[0] = work.call();
      } catch (Throwable e) {
        failure[0] = e;
      }
    }, name, STACK_BYTES);
    t.start();
    try {
      t.join();
    } catch (InterruptedException e) {
      t.interrupt();
      Thread.currentThread().interrupt();
      throw new IllegalStateException(name + " interrupted", e);
    }
    if (failure[0] instanceof RuntimeException re) {
      throw re;
    }
    if (failure[0] instanceof Error err) {
      throw err;
    }
    if (failure[0] != null) {
      throw new IllegalStateException(name + " failed", failure[0]);
    }
    @SuppressWarnings("unchecked")
    T value = (T) result[0];
    return value;
  }
}
