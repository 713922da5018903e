package io.distillery.spark.label;

import java.io.Serializable;

/**
 * A candidate as shipped to an executor: its id (its position in the source's seeded order, the
 * same in every run with the same seed) and its text.
 */
public record CandidateText(long id, String text) implements Serializable {}
