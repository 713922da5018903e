package io.distillery.train.loss;

/** Where the hard-label cross-entropy term takes its labels from. */
public enum HardLabels {
  /** The teacher's argmax (what a synthetic corpus stores as {@code label}). */
  TEACHER_ARGMAX,
  /** Labels given with each example (gold labels of a real training split). */
  GIVEN
}
