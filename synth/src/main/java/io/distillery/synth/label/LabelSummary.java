package io.distillery.synth.label;

import java.util.Map;

/**
 * What a labelling pass did.
 *
 * @param records records labelled
 * @param truncatedTexts texts longer than the model's max length, labelled on their first tokens
 * @param labelCounts teacher-label distribution, label name to count, in label order
 * @param seconds wall time of the pass
 */
public record LabelSummary(
    long records, long truncatedTexts, Map<String, Long> labelCounts, double seconds) {}
