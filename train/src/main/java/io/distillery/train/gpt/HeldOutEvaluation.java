package io.distillery.train.gpt;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.training.ParameterStore;
import java.util.Arrays;

/**
 * Cross-entropy of a GPT on held-out tokens, in nats per token and in bits per UTF-8 byte (the
 * tokenizer-independent figure: total nats / ln 2 / bytes the predicted tokens decode to).
 *
 * @param natsPerToken mean negative log-likelihood per predicted token
 * @param bitsPerByte total bits over the UTF-8 bytes of the predicted tokens
 * @param tokens predicted tokens
 * @param bytes UTF-8 bytes of the predicted tokens
 */
public record HeldOutEvaluation(double natsPerToken, double bitsPerByte, long tokens, long bytes) {

  /** {@code exp(natsPerToken)}. */
  public double perplexity() {
    return Math.exp(natsPerToken);
  }

  /**
   * Evaluates consecutive windows of T tokens from the start of the held-out stream.
   *
   * @param tokenBytes UTF-8 length of each token id (0 for special tokens)
   * @param maxWindows at most this many windows (all that fit if fewer)
   */
  public static HeldOutEvaluation evaluate(GptModel model, NDManager manager, PackedTokens heldOut,
      int t, int batch, int maxWindows, int[] tokenBytes) {
    int windows = Math.min(maxWindows, heldOut.windowCount(t));
    double nats = 0;
    long tokens = 0;
    long bytes = 0;
    ParameterStore ps = new ParameterStore(manager, false);
    for (int first = 0; first < windows; first += batch) {
      int n = Math.min(batch, windows - first);
      int[] starts = new int[n];
      for (int i = 0; i < n; i++) {
        starts[i] = (first + i) * t;
      }
      try (NDScope scope = new NDScope()) {
        PackedTokens.Batch b = heldOut.windows(manager, starts, t);
        NDArray logits = model.logits(ps, b.inputs(), false);
        nats += -tokenLogProbs(logits, b.targets()).sum().getFloat();
        long[] targets = b.targets().toLongArray();
        tokens += targets.length;
        bytes += Arrays.stream(targets).map(id -> tokenBytes[(int) id]).sum();
      }
    }
    return new HeldOutEvaluation(nats / tokens, nats / Math.log(2) / Math.max(1, bytes), tokens,
        bytes);
  }

  /** log p(target) per position: logits {@code [B, T, V]}, targets {@code [B, T]}. */
  static NDArray tokenLogProbs(NDArray logits, NDArray targets) {
    return logits.logSoftmax(-1).gather(targets.expandDims(-1), -1).squeeze(-1); // [B, T]
  }
}
