package io.distillery.runtime.classify;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OnnxValue;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import io.distillery.core.JobFailedException;
import io.distillery.core.ShapeMismatchException;
import io.distillery.runtime.batch.Batch;
import io.distillery.runtime.batch.BatchConfig;
import io.distillery.runtime.batch.BatchPlan;
import io.distillery.runtime.model.TextInputs;
import io.distillery.runtime.session.ModelSession;
import io.distillery.runtime.text.TextTokenizer;
import io.distillery.runtime.text.TokenizedText;
import java.nio.FloatBuffer;
import java.nio.LongBuffer;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;

/**
 * The batching machinery {@link Classifier} and {@link Encoder} share: tokenize, plan batches,
 * pad each batch to its own longest row, run one float output, hand each batch's copy to a sink
 * that writes rows back to their input indices. Native tensors and results never leave {@link
 * #run}.
 */
final class BatchRunner {
  /**
   * One batch's output, copied out of onnxruntime.
   *
   * @param batch the batch (its rows are input indices)
   * @param values the output tensor, row-major
   * @param shape the output shape, e.g. {@code [B, L]} or {@code [B, T, H]}
   * @param attentionMask the mask fed to the model, {@code [B, T]} row-major
   */
  record BatchOutput(Batch batch, float[] values, long[] shape, long[] attentionMask) {}

  private final ModelSession session;
  private final TextTokenizer tokenizer;
  private final BatchConfig config;
  private final boolean tokenTypeIds;
  private final String output;
  private ClassifierStats stats = ClassifierStats.ZERO;

  BatchRunner(
      ModelSession session, TextTokenizer tokenizer, BatchConfig config, TextInputs inputs, String output) {
    this.session = session;
    this.tokenizer = tokenizer;
    this.config = config;
    this.tokenTypeIds = inputs.hasTokenTypeIds();
    this.output = output;
  }

  /** Tokenizes and runs {@code texts}, passing every batch's output to {@code sink}. */
  void run(List<String> texts, Consumer<BatchOutput> sink) {
    List<TokenizedText> tokens = tokenizer.encodeAll(texts);
    int[] lengths = tokens.stream().mapToInt(TokenizedText::length).toArray();
    BatchPlan plan = BatchPlan.of(lengths, config);
    long nanos = 0;
    for (Batch batch : plan.batches()) {
      long start = System.nanoTime();
      BatchOutput out = runBatch(batch, tokens);
      nanos += System.nanoTime() - start;
      sink.accept(out);
    }
    long truncated = tokens.stream().filter(TokenizedText::truncated).count();
    record(new ClassifierStats(
        texts.size(), plan.batches().size(), plan.realTokens(), plan.paddedPositions(),
        truncated, plan.longestSeqLength(), nanos));
  }

  private BatchOutput runBatch(Batch batch, List<TokenizedText> tokens) {
    int b = batch.size();
    int t = batch.seqLength();
    long[] ids = new long[b * t];
    long[] mask = new long[b * t];
    long[] types = new long[b * t];
    Arrays.fill(ids, tokenizer.padId());
    for (int r = 0; r < b; r++) {
      TokenizedText text = tokens.get(batch.rows()[r]);
      System.arraycopy(text.ids(), 0, ids, r * t, text.length());
      System.arraycopy(text.typeIds(), 0, types, r * t, text.length());
      Arrays.fill(mask, r * t, r * t + text.length(), 1L);
    }
    long[] shape = {b, t};
    var env = session.environment();
    Map<String, OnnxTensor> inputs = new HashMap<>();
    try (OnnxTensor idsTensor = OnnxTensor.createTensor(env, LongBuffer.wrap(ids), shape);
        OnnxTensor maskTensor = OnnxTensor.createTensor(env, LongBuffer.wrap(mask), shape);
        OnnxTensor typesTensor =
            tokenTypeIds ? OnnxTensor.createTensor(env, LongBuffer.wrap(types), shape) : null) {
      inputs.put(TextInputs.INPUT_IDS, idsTensor);
      inputs.put(TextInputs.ATTENTION_MASK, maskTensor);
      if (typesTensor != null) {
        inputs.put(TextInputs.TOKEN_TYPE_IDS, typesTensor);
      }
      try (OrtSession.Result result = session.session().run(inputs, Set.of(output))) {
        OnnxValue value = result.get(output).orElseThrow();
        if (!(value instanceof OnnxTensor tensor)) {
          throw new ShapeMismatchException(
              session.modelPath() + ": output '" + output + "' is not a tensor (" + value.getInfo() + ")");
        }
        long[] outShape = tensor.getInfo().getShape();
        if (outShape.length == 0 || outShape[0] != b) {
          throw new ShapeMismatchException(
              session.modelPath() + ": output '" + output + "' has shape " + Arrays.toString(outShape)
                  + " for a batch of " + b + "; expected " + b + " rows");
        }
        FloatBuffer buffer = tensor.getFloatBuffer();
        float[] values = new float[buffer.remaining()];
        buffer.get(values);
        return new BatchOutput(batch, values, outShape, mask);
      }
    } catch (OrtException e) {
      throw new JobFailedException(
          session.modelPath() + ": onnxruntime failed on a batch of " + b + " x " + t + " tokens ("
              + e.getMessage() + ")", e);
    }
  }

  private synchronized void record(ClassifierStats run) {
    stats = stats.plus(run);
  }

  synchronized ClassifierStats stats() {
    return stats;
  }
}
