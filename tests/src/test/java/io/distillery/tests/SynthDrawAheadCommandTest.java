package io.distillery.tests;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code distillery synth --generator} draws the next batch while the teacher labels this one
 * (the default on 2+ cores) and writes the same corpus bytes as in line.
 */
class SynthDrawAheadCommandTest {
  @TempDir static Path dir;
  static Path teacher;
  static Path generator;

  @BeforeAll
  static void setUp() throws IOException {
    teacher = TinyClassifier.create(dir);
    // the committed demo generator: a random tiny one writes texts the length filter rejects
    generator = Path.of(System.getProperty("distillery.root", "..")).resolve("models/generator");
  }

  /** Runs synth in-process; the stage's progress (System.err) is kept in the result's err. */
  private static CliRun synth(Path out, String... more) {
    List<String> args = new ArrayList<>(List.of("synth", "--generator", generator.toString(),
        "--teacher", teacher.toString(), "--out", out.toString(), "--description",
        "Is a review sentence negative or positive?", "--samples", "48", "--shard-size", "24",
        "--batch-size", "6", "--max-new-tokens", "24", "--seed", "3"));
    args.addAll(List.of(more));
    PrintStream saved = System.err;
    ByteArrayOutputStream progress = new ByteArrayOutputStream();
    System.setErr(new PrintStream(progress, true, StandardCharsets.UTF_8));
    try {
      CliRun r = CliRun.of(args.toArray(String[]::new));
      return new CliRun(r.exitCode(), r.out(), r.err() + progress.toString(StandardCharsets.UTF_8));
    } finally {
      System.setErr(saved);
    }
  }

  @Test
  void drawingAheadWritesTheSameCorpusBytesAsInLine() throws IOException {
    Path ahead = dir.resolve("ahead");
    Path inLine = dir.resolve("in-line");
    CliRun a = synth(ahead, "--draw-ahead");
    CliRun b = synth(inLine, "--no-draw-ahead");
    assertEquals(0, a.exitCode(), a.err());
    assertEquals(0, b.exitCode(), b.err());
    if (Runtime.getRuntime().availableProcessors() >= 2) {
      Matcher m = Pattern.compile("draw ahead: (\\d+) batches").matcher(a.err());
      assertTrue(m.find(), a.err());
      assertTrue(Integer.parseInt(m.group(1)) > 0, a.err());
    }
    assertFalse(b.err().contains("draw ahead"), b.err());
    List<Path> shards = shards(ahead);
    assertEquals(2, shards.size());
    assertEquals(shards.stream().map(p -> p.getFileName().toString()).toList(),
        shards(inLine).stream().map(p -> p.getFileName().toString()).toList());
    for (Path s : shards) {
      assertArrayEquals(Files.readAllBytes(s), Files.readAllBytes(inLine.resolve(s.getFileName())),
          s.getFileName().toString());
    }
  }

  @Test
  void aCorpusStartedInLineResumesDrawingAhead() throws IOException {
    Path out = dir.resolve("resumed");
    CliRun first = synth(out, "--no-draw-ahead", "--max-shards", "1");
    assertEquals(0, first.exitCode(), first.err());
    CliRun rest = synth(out, "--draw-ahead");
    assertEquals(0, rest.exitCode(), rest.err()); // draw-ahead is not part of the corpus identity
    Path whole = dir.resolve("whole");
    assertEquals(0, synth(whole, "--no-draw-ahead").exitCode());
    for (Path s : shards(whole)) {
      assertArrayEquals(Files.readAllBytes(s), Files.readAllBytes(out.resolve(s.getFileName())),
          s.getFileName().toString());
    }
  }

  private static List<Path> shards(Path corpus) throws IOException {
    try (Stream<Path> files = Files.list(corpus)) {
      return files.filter(p -> p.getFileName().toString().startsWith("shard-")).sorted().toList();
    }
  }
}
