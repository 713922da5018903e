package io.distillery.synth.source;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.distillery.core.BadInputException;
import io.distillery.core.Json;
import io.distillery.core.JsonlReader;
import io.distillery.core.Sha256;
import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.regex.Pattern;

/**
 * Candidates taken from a general-domain English corpus, with no generator: the "raw corpus"
 * baseline. The file is plain text (one passage per line) or JSON Lines ({@code .jsonl}, a string
 * field, {@code text} by default); each line is one unit, or is split into sentences.
 *
 * <p>Units are drawn without replacement in an order fixed by the run seed (one seeded
 * permutation), continuing from {@link ShardStart#candidatesBefore()}, so every shard is
 * reproducible on its own. When every unit has been drawn the source is exhausted. The units are
 * held in memory (the input corpus, not the synthetic one).
 */
public final class RawCorpusSource implements TextSource {
  /** How a line of the corpus is cut into candidates. */
  public enum Unit {
    /** Each non-blank line (or JSON record) is one candidate. */
    LINE,
    /** Each sentence of each line is one candidate. */
    SENTENCE
  }

  private static final Pattern SENTENCE_END = Pattern.compile("(?<=[.!?][\"')\\]\u201d\u2019]{0,2})\\s+");

  private final Path file;
  private final Unit unit;
  private final String sha256;
  private final List<String> units;
  private int[] order;
  private long orderSeed;
  private long cursor;

  private RawCorpusSource(Path file, Unit unit, String sha256, List<String> units) {
    this.file = file;
    this.unit = unit;
    this.sha256 = sha256;
    this.units = units;
  }

  /** Reads a corpus; {@code .jsonl} files are read as JSON Lines with a {@code text} field. */
  public static RawCorpusSource open(Path file, Unit unit) {
    return open(file, unit, "text");
  }

  /**
   * Reads a corpus.
   *
   * @param field the string field of JSON Lines records (ignored for plain text)
   * @throws BadInputException naming the file when it is missing, unreadable or has no text
   */
  public static RawCorpusSource open(Path file, Unit unit, String field) {
    List<String> lines = new ArrayList<>();
    String name = file.getFileName().toString();
    if (name.endsWith(".jsonl") || name.endsWith(".jsonl.txt") || name.endsWith(".ndjson")) {
      try (JsonlReader reader = JsonlReader.open(file)) {
        while (reader.hasNext()) {
          lines.add(reader.requireText(reader.next(), field));
        }
      }
    } else {
      if (!Files.isRegularFile(file)) {
        throw BadInputException.of(file, "no such file (expected a plain-text or JSON Lines corpus)");
      }
      try (BufferedReader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
        for (String line; (line = in.readLine()) != null; ) {
          lines.add(line);
        }
      } catch (IOException e) {
        throw BadInputException.of(file, "cannot read as UTF-8 text (" + e.getMessage() + ")", e);
      }
    }
    List<String> units = new ArrayList<>();
    for (String line : lines) {
      String clean = line.replaceAll("\\s+", " ").strip();
      if (clean.isEmpty()) {
        continue;
      }
      if (unit == Unit.LINE) {
        units.add(clean);
      } else {
        for (String s : SENTENCE_END.split(clean)) {
          if (!s.isBlank()) {
            units.add(s.strip());
          }
        }
      }
    }
    if (units.isEmpty()) {
      throw BadInputException.of(file, "no text found (expected non-blank lines)");
    }
    return new RawCorpusSource(file, unit, Sha256.of(file), List.copyOf(units));
  }

  /**
   * The first {@code n} units (at most all) of the order seeded by {@code runSeed}: the pool a
   * teacher-ranked or student-guided selection works on, the same for both.
   */
  public List<String> pool(long runSeed, int n) {
    int[] p = permutation(units.size(), runSeed);
    List<String> out = new ArrayList<>(Math.min(n, p.length));
    for (int i = 0; i < Math.min(n, p.length); i++) {
      out.add(units.get(p[i]));
    }
    return out;
  }

  /** How many candidates the corpus holds. */
  public int size() {
    return units.size();
  }

  /** Every candidate text, in file order (e.g. the sentences a corpus-rewrite prompt draws). */
  public List<String> units() {
    return units;
  }

  /** SHA-256 of the corpus file. */
  public String sha256() {
    return sha256;
  }

  @Override
  public void startShard(ShardStart start) {
    if (order == null || orderSeed != start.runSeed()) {
      order = permutation(units.size(), start.runSeed());
      orderSeed = start.runSeed();
    }
    cursor = start.candidatesBefore();
  }

  @Override
  public List<Candidate> next(int n) {
    if (order == null) {
      throw new IllegalStateException("startShard must be called before next");
    }
    List<Candidate> out = new ArrayList<>(n);
    while (out.size() < n && cursor < order.length) {
      out.add(Candidate.raw(units.get(order[(int) cursor++])));
    }
    return out;
  }

  private static int[] permutation(int n, long seed) {
    int[] p = new int[n];
    for (int i = 0; i < n; i++) {
      p[i] = i;
    }
    SplittableRandom rng = new SplittableRandom(seed);
    for (int i = n - 1; i > 0; i--) {
      int j = rng.nextInt(i + 1);
      int t = p[i];
      p[i] = p[j];
      p[j] = t;
    }
    return p;
  }

  @Override
  public ObjectNode describe() {
    ObjectNode node = Json.MAPPER.createObjectNode();
    node.put("kind", "raw_corpus");
    node.put("file", file.getFileName().toString());
    node.put("sha256", sha256);
    node.put("unit", unit.name().toLowerCase(java.util.Locale.ROOT));
    node.put("units", units.size());
    return node;
  }
}
