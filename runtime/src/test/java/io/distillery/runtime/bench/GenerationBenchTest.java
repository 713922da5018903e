package io.distillery.runtime.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.distillery.core.Json;
import io.distillery.export.gpt.GptArchitecture;
import io.distillery.runtime.testing.TinyLmFolder;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The generation benchmark on a tiny real GPT: every configuration measured, files written. */
class GenerationBenchTest {
  @Test
  void measuresCachedAndUncachedPathsAndWritesTheReport(@TempDir Path tmp) throws Exception {
    Path model = TinyLmFolder.write(Files.createDirectory(tmp.resolve("lm")), 96, 7);
    ByteArrayOutputStream log = new ByteArrayOutputStream();
    GenerationBench.Report r = GenerationBench.run(model, 1, 1,
        new PrintStream(log, true, StandardCharsets.UTF_8));

    // kv-cache 1/16/64, kv-cache 16 choosing tokens in Java, no-cache 1/16
    assertEquals(6, r.rows().size(), r.rows().toString());
    for (GenerationBench.Row row : r.rows()) {
      assertTrue(row.tokensPerSecond() > 0 && row.secondsPerRun() > 0, row.toString());
    }
    GptArchitecture a = TinyLmFolder.ARCH;
    long weights = new GptArchitecture(a.layers(), a.width(), a.heads(), 96, a.vocab())
        .weightShapes().values().stream()
        .mapToLong(s -> Arrays.stream(s).reduce(1, (x, y) -> x * y)).sum();
    // the GPT's weights plus a few scalar constants of the graph
    assertTrue(r.parameters() >= weights && r.parameters() < weights + 64,
        r.parameters() + " vs " + weights);
    assertTrue(r.matmulGflops() > 0 && r.ceilingTokensPerSecond() > 0);
    // the shared ceiling: best and median of at least MatMulCeiling.MIN_REPS runs
    assertTrue(r.matmulBestGflops() >= r.matmulGflops(), r.toString());
    assertTrue(r.matmulRuns() >= MatMulCeiling.MIN_REPS);
    assertTrue(r.batch16ShareOfBestLimit() <= r.batch16ShareOfLimit());
    assertTrue(Double.isFinite(r.cacheSpeedupBatch16()) && r.cacheSpeedupBatch16() > 0);
    assertTrue(log.toString(StandardCharsets.UTF_8).contains("kv-cache batch 64"));

    GenerationBench.write(r, tmp.resolve("out"));
    JsonNode json = Json.MAPPER.readTree(tmp.resolve("out/bench.json").toFile());
    assertEquals(6, json.get("rows").size());
    String md = Files.readString(tmp.resolve("out/bench.md"));
    assertTrue(md.contains("| " + GenerationBench.JAVA_SCORING + " | 16 |"), md);
    assertTrue(md.contains("token choice in the graph / in Java"), md);
    assertTrue(md.contains("| no-cache | 16 |"));
    assertTrue(md.contains("best") && md.contains("median"), md);
    assertTrue(Double.isNaN(r.batch16OverBaseline()));

    // a baseline generator in the same round-robin: the same folder measures about 1x
    GenerationBench.Report both = GenerationBench.run(model, model, 1, 1,
        new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8),
        java.util.List.of("The harbour was quiet this morning.", "a b", "Nobody knew when."));
    assertEquals(12, both.rows().size());
    assertEquals(6, both.rows().stream().filter(x -> x.model().equals(GenerationBench.BASELINE)).count());
    assertTrue(both.batch16OverBaseline() > 0.2 && both.batch16OverBaseline() < 5,
        String.valueOf(both.batch16OverBaseline()));
    assertTrue(both.batch16OverBaselineJavaScoring() > 0.2
        && both.batch16OverBaselineJavaScoring() < 20, both.toString());
    assertTrue(GenerationBench.markdown(both).contains("model / baseline"));
    // teacher forcing the same export against itself: identical distributions
    LmAgreement.Result same = both.agreement();
    assertEquals(same.bitsPerByteA(), same.bitsPerByteB(), 1e-9);
    assertEquals(0, same.klPerToken(), 1e-6);
    assertEquals(1.0, same.argmaxAgreement());
    assertTrue(same.tokens() > 10 && same.bitsPerByteA() > 0, same.toString());
    assertTrue(GenerationBench.markdown(both).contains("teacher-forced"));
    // dense FLOPs: 12 width^2 per block (attention in/out, MLP in/out) and the tied head
    assertEquals(2L * (a.layers() * 12L * a.width() * a.width() + (long) a.vocab() * a.width()),
        r.flopsPerToken());
  }
}
