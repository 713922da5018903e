package io.distillery.models.data;

/**
 * The three fixed parts of a demo task's data. {@link #TRAIN} fits models, {@link #DEV} selects
 * among them (epochs, hyperparameters), {@link #TEST} is read only to report a final number: it
 * never feeds training, selection, prompts or a synthetic corpus.
 */
public enum Split {
  TRAIN,
  DEV,
  TEST;

  /** {@code train}, {@code dev} or {@code test}. */
  public String id() {
    return name().toLowerCase(java.util.Locale.ROOT);
  }

  /** The JSON Lines file name of this split. */
  public String fileName() {
    return id() + ".jsonl";
  }

  /** Whether a training recipe may look at this split (train and dev yes, test never). */
  public boolean usableForFitting() {
    return this != TEST;
  }
}
