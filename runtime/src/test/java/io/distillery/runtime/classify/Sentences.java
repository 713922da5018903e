package io.distillery.runtime.classify;

import java.util.Collections;
import java.util.List;

/** Test sentences of very different lengths, so bucketing really reorders them. */
final class Sentences {
  static final String LONG = String.join(" ", Collections.nCopies(40,
      "the service was slow but the food made up for it"));

  static final List<String> MIXED = List.of(
      "Great food.",
      "The waiter ignored us for twenty minutes and then brought the wrong order, which was cold.",
      "Meh.",
      LONG,
      "I would happily come back here with my family next weekend.",
      "Terrible.",
      "The battery lasts all day and the screen is bright enough to read in direct sunlight.",
      "",
      "Not bad at all, honestly better than I expected.",
      "Worst purchase ever, it broke after two days.",
      "ok",
      "The plot was predictable, but the acting and the soundtrack kept me watching until the end.");

  private Sentences() {}
}
