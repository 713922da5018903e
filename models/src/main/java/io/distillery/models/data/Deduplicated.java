package io.distillery.models.data;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Examples with exact duplicate texts removed, keeping the first occurrence in the given order
 * (callers pass examples sorted by id). A duplicate left in place could sit in train and test at
 * once and inflate the test score.
 *
 * @param kept the surviving examples, in input order
 * @param removedIds ids of the dropped duplicates, in input order
 * @param labelConflicts how many dropped duplicates carried a different label than the kept one
 */
public record Deduplicated(List<LabelledText> kept, List<String> removedIds, int labelConflicts) {
  public Deduplicated {
    kept = List.copyOf(kept);
    removedIds = List.copyOf(removedIds);
  }

  public static Deduplicated of(List<LabelledText> examples) {
    Map<String, LabelledText> first = new HashMap<>();
    List<LabelledText> kept = new ArrayList<>(examples.size());
    List<String> removed = new ArrayList<>();
    int conflicts = 0;
    for (LabelledText e : examples) {
      LabelledText earlier = first.putIfAbsent(e.text(), e);
      if (earlier == null) {
        kept.add(e);
      } else {
        removed.add(e.id());
        if (earlier.label() != e.label()) {
          conflicts++;
        }
      }
    }
    return new Deduplicated(kept, removed, conflicts);
  }
}
