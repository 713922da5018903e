package io.distillery.runtime.classify;

import io.distillery.core.ShapeMismatchException;
import io.distillery.runtime.batch.BatchConfig;
import io.distillery.runtime.model.ClassifierSignature;
import io.distillery.runtime.session.ModelSession;
import io.distillery.runtime.text.TextTokenizer;
import java.util.Arrays;
import java.util.List;

/**
 * Batched, length-bucketed logits of an ONNX text classifier (input_ids, attention_mask, optional
 * token_type_ids in; logits {@code [B, L]} out). Borrows its session and tokenizer: the caller
 * closes them. Safe to share between threads.
 */
public final class Classifier {
  private final ModelSession session;
  private final ClassifierSignature signature;
  private final BatchRunner runner;

  /**
   * @throws io.distillery.core.ModelLoadException when the session's model is not a classifier
   */
  public Classifier(ModelSession session, TextTokenizer tokenizer, BatchConfig config) {
    this.session = session;
    this.signature = ClassifierSignature.check(session.modelPath(), session.session());
    this.runner = new BatchRunner(session, tokenizer, config, signature.inputs(), ClassifierSignature.LOGITS);
  }

  public ClassifierSignature signature() {
    return signature;
  }

  /**
   * Logits for every text, in input order.
   *
   * @return {@code [N, L]}; row i belongs to {@code texts.get(i)}
   */
  public float[][] logits(List<String> texts) {
    float[][] logits = new float[texts.size()][];
    runner.run(texts, out -> {
      int labels = Math.toIntExact(out.shape()[out.shape().length - 1]);
      if (out.shape().length != 2 || (signature.numLabels() > 0 && labels != signature.numLabels())) {
        throw new ShapeMismatchException(
            session.modelPath() + ": logits have shape " + Arrays.toString(out.shape())
                + "; expected [" + out.batch().size() + ", " + signature.numLabels() + "]");
      }
      int[] rows = out.batch().rows();
      for (int r = 0; r < rows.length; r++) {
        logits[rows[r]] = Arrays.copyOfRange(out.values(), r * labels, (r + 1) * labels);
      }
    });
    return logits;
  }

  /** Totals over every {@link #logits} call so far. */
  public ClassifierStats stats() {
    return runner.stats();
  }
}
