package io.distillery.spark.label;

import java.io.Serializable;

/**
 * The teacher's logits for a candidate that passed the stateless filters on an executor (the
 * candidates that failed them come back not at all).
 *
 * @param id the candidate's id
 * @param logits {@code [numLabels]}
 */
public record LabelledCandidate(long id, float[] logits) implements Serializable {}
