package io.distillery.synth.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;

/** Varied English sentences for raw-corpus tests, from a seeded phrase grammar. */
public final class Sentences {
  private static final String[] SUBJECTS = {
    "The old fisherman", "My neighbour", "A tired student", "The new manager", "Our small team",
    "The young doctor", "A quiet child", "The city council", "Her brother", "The museum guide",
    "A famous painter", "The night nurse", "Every farmer", "The hotel chef", "A curious reporter"};
  private static final String[] VERBS = {
    "repaired", "described", "painted", "ignored", "celebrated", "visited", "photographed",
    "criticised", "admired", "cleaned", "sold", "forgot", "studied", "measured", "built"};
  private static final String[] OBJECTS = {
    "the wooden bridge", "a broken clock", "the harbour lights", "an ancient map",
    "the garden wall", "a crowded market", "the winter coats", "a strange letter",
    "the village church", "the mountain road", "a silver kettle", "the school library"};
  private static final String[] ENDINGS = {
    "before the storm arrived", "after a long winter", "with great patience", "in the early morning",
    "without saying a word", "for the third time this year", "during the summer festival",
    "while the rain kept falling", "as the sun went down", "despite the terrible noise"};

  private Sentences() {}

  /** {@code n} distinct sentences, fixed by {@code seed}. */
  public static List<String> distinct(int n, long seed) {
    SplittableRandom rng = new SplittableRandom(seed);
    Set<String> out = new LinkedHashSet<>();
    while (out.size() < n) {
      out.add(SUBJECTS[rng.nextInt(SUBJECTS.length)] + " " + VERBS[rng.nextInt(VERBS.length)] + " "
          + OBJECTS[rng.nextInt(OBJECTS.length)] + " " + ENDINGS[rng.nextInt(ENDINGS.length)] + ".");
    }
    return new ArrayList<>(out);
  }

  /** Writes lines to a file and returns it. */
  public static Path write(Path file, List<String> lines) {
    try {
      Files.write(file, lines);
      return file;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
