package io.distillery.runtime.classify;

/**
 * What a {@link Classifier} or {@link Encoder} has computed so far.
 *
 * @param texts texts run
 * @param batches onnxruntime calls made
 * @param realTokens tokens the texts really have (after truncation)
 * @param paddedPositions positions fed to the model, padding included (sum of rows x seqLength)
 * @param truncatedTexts texts longer than the tokenizer's max length, cut to fit
 * @param longestSeqLength the longest padded sequence length fed to the model
 * @param inferenceNanos wall time spent inside onnxruntime's run
 */
public record ClassifierStats(
    long texts,
    long batches,
    long realTokens,
    long paddedPositions,
    long truncatedTexts,
    int longestSeqLength,
    long inferenceNanos) {
  public static final ClassifierStats ZERO = new ClassifierStats(0, 0, 0, 0, 0, 0, 0);

  public ClassifierStats plus(ClassifierStats other) {
    return new ClassifierStats(
        texts + other.texts,
        batches + other.batches,
        realTokens + other.realTokens,
        paddedPositions + other.paddedPositions,
        truncatedTexts + other.truncatedTexts,
        Math.max(longestSeqLength, other.longestSeqLength),
        inferenceNanos + other.inferenceNanos);
  }

  /** Real tokens / padded positions: 1.0 means no padding was computed (1.0 when nothing ran). */
  public double paddingEfficiency() {
    return paddedPositions == 0 ? 1.0 : (double) realTokens / paddedPositions;
  }
}
