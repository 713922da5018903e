package io.distillery.models.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class SplitsTest {
  private static List<LabelledText> examples(int... perLabel) {
    List<LabelledText> out = new ArrayList<>();
    for (int label = 0; label < perLabel.length; label++) {
      for (int i = 0; i < perLabel[label]; i++) {
        out.add(
            new LabelledText(String.format("l%d-%05d", label, i), "t" + label + "-" + i, label));
      }
    }
    return out;
  }

  @Test
  void everyLabelIsSplitWithinOneOfItsShare() {
    int[] perLabel = {1491, 1491, 7, 1};
    Splits s = Splits.stratified(examples(perLabel), perLabel.length, 99);
    for (int label = 0; label < perLabel.length; label++) {
      int n = perLabel[label];
      assertWithinOne(0.7 * n, count(s.train(), label), "train label " + label);
      assertWithinOne(0.1 * n, count(s.dev(), label), "dev label " + label);
      assertWithinOne(0.2 * n, count(s.test(), label), "test label " + label);
    }
    assertEquals(1491 + 1491 + 7 + 1, s.train().size() + s.dev().size() + s.test().size());
  }

  @Test
  void sameSeedSameSplitWhateverTheInputOrder() {
    List<LabelledText> in = examples(300, 200);
    List<LabelledText> shuffled = new ArrayList<>(in);
    Collections.shuffle(shuffled, new java.util.Random(5));
    Splits a = Splits.stratified(in, 2, 7);
    Splits b = Splits.stratified(shuffled, 2, 7);
    assertEquals(a, b);
    assertNotEquals(a.test(), Splits.stratified(in, 2, 8).test(), "another seed, another split");
  }

  @Test
  void splitsAreDisjointAndSortedById() {
    Splits s = Splits.stratified(examples(50, 40), 2, 1);
    Set<String> seen = new HashSet<>();
    for (Split which : Split.values()) {
      List<LabelledText> part = s.get(which);
      for (int i = 0; i < part.size(); i++) {
        assertTrue(seen.add(part.get(i).id()), "id in two splits: " + part.get(i).id());
        if (i > 0) {
          assertTrue(part.get(i - 1).id().compareTo(part.get(i).id()) < 0, which + " not sorted");
        }
      }
    }
    assertEquals(90, seen.size());
  }

  @Test
  void rejectsDuplicateIdsAndLabelsOutOfRange() {
    List<LabelledText> dup = new ArrayList<>(examples(3));
    dup.add(new LabelledText("l0-00000", "other", 0));
    assertThrows(IllegalArgumentException.class, () -> Splits.stratified(dup, 1, 1));
    assertThrows(IllegalArgumentException.class, () -> Splits.stratified(examples(2, 2), 1, 1));
  }

  @Test
  void deduplicationKeepsTheFirstCopyAndCountsConflicts() {
    List<LabelledText> in =
        List.of(
            new LabelledText("a", "same", 0),
            new LabelledText("b", "other", 1),
            new LabelledText("c", "same", 0),
            new LabelledText("d", "same", 1));
    Deduplicated d = Deduplicated.of(in);
    assertEquals(List.of("a", "b"), d.kept().stream().map(LabelledText::id).toList());
    assertEquals(List.of("c", "d"), d.removedIds());
    assertEquals(1, d.labelConflicts());
  }

  private static int count(List<LabelledText> part, int label) {
    return (int) part.stream().filter(e -> e.label() == label).count();
  }

  private static void assertWithinOne(double expected, int found, String what) {
    assertTrue(
        Math.abs(found - expected) <= 1.0,
        what + ": expected about " + expected + ", found " + found);
  }
}
