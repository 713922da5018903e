package io.distillery.train.gpt;

/**
 * PyTorch thread settings for DJL. They are read once, when the engine starts, so call
 * {@link #configure} before the first DJL call. Setting both explicitly avoids OpenMP's
 * busy-waiting threads fighting the inter-op pool (a clash that tripled step time here).
 */
public final class TorchThreads {
  public static final String INTRA_OP = "ai.djl.pytorch.num_threads";
  public static final String INTER_OP = "ai.djl.pytorch.num_interop_threads";

  private TorchThreads() {}

  /** Sets the thread counts unless the user already set them with {@code -D}. */
  public static void configure(int intraOp, int interOp) {
    if (System.getProperty(INTRA_OP) == null) {
      System.setProperty(INTRA_OP, Integer.toString(intraOp));
    }
    if (System.getProperty(INTER_OP) == null) {
      System.setProperty(INTER_OP, Integer.toString(interOp));
    }
  }

  /** Intra-op threads = available cores, one inter-op thread. */
  public static void configureDefaults() {
    configure(Runtime.getRuntime().availableProcessors(), 1);
  }
}
