package io.distillery.runtime.classify;

import io.distillery.core.ShapeMismatchException;
import io.distillery.runtime.batch.BatchConfig;
import io.distillery.runtime.model.EncoderSignature;
import io.distillery.runtime.session.ModelSession;
import io.distillery.runtime.text.TextTokenizer;
import java.util.Arrays;
import java.util.List;

/**
 * Sentence embeddings from an ONNX text encoder ({@code last_hidden_state [B, T, H]}): masked mean
 * pooling over real tokens, computed in Java. These are the features classifier heads train on,
 * and the reference a composed encoder+pooling+head ONNX classifier is tested against. Same
 * batching as {@link Classifier}; borrows its session and tokenizer. Safe to share between threads.
 */
public final class Encoder {
  private final ModelSession session;
  private final EncoderSignature signature;
  private final BatchRunner runner;

  /**
   * @throws io.distillery.core.ModelLoadException when the session's model is not a text encoder
   */
  public Encoder(ModelSession session, TextTokenizer tokenizer, BatchConfig config) {
    this.session = session;
    this.signature = EncoderSignature.check(session.modelPath(), session.session());
    this.runner = new BatchRunner(
        session, tokenizer, config, signature.inputs(), EncoderSignature.LAST_HIDDEN_STATE);
  }

  public EncoderSignature signature() {
    return signature;
  }

  /**
   * Masked mean of {@code last_hidden_state} over each text's real tokens (special tokens
   * included, padding excluded), in input order.
   *
   * @return {@code [N, H]}; row i belongs to {@code texts.get(i)}
   */
  public float[][] meanPooled(List<String> texts) {
    float[][] pooled = new float[texts.size()][];
    runner.run(texts, out -> {
      long[] shape = out.shape();
      int b = out.batch().size();
      int t = out.batch().seqLength();
      if (shape.length != 3 || shape[1] != t) {
        throw new ShapeMismatchException(
            session.modelPath() + ": last_hidden_state has shape " + Arrays.toString(shape)
                + "; expected [" + b + ", " + t + ", hidden]");
      }
      int h = Math.toIntExact(shape[2]);
      float[] hidden = out.values(); // [B, T, H]
      long[] mask = out.attentionMask(); // [B, T]
      for (int r = 0; r < b; r++) {
        double[] sum = new double[h];
        int count = 0;
        for (int p = 0; p < t; p++) {
          if (mask[r * t + p] == 0) {
            continue;
          }
          count++;
          int base = (r * t + p) * h;
          for (int k = 0; k < h; k++) {
            sum[k] += hidden[base + k];
          }
        }
        float[] row = new float[h];
        for (int k = 0; k < h; k++) {
          row[k] = count == 0 ? 0f : (float) (sum[k] / count);
        }
        pooled[out.batch().rows()[r]] = row;
      }
    });
    return pooled;
  }

  /** Totals over every {@link #meanPooled} call so far. */
  public ClassifierStats stats() {
    return runner.stats();
  }
}
