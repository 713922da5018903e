package io.distillery.core;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Writes JSON Lines into a temp file beside the target and renames it into place on
 * {@link #commit()}; closing without commit discards the partial file, so an interrupted job
 * never leaves a torn output behind.
 */
public final class JsonlWriter implements AutoCloseable {
  private final Path target;
  private final Path tmp;
  private final BufferedWriter out;
  private boolean committed;
  private long count;

  public JsonlWriter(Path target) {
    this.target = target;
    try {
      Path dir = target.toAbsolutePath().getParent();
      Files.createDirectories(dir);
      this.tmp = Files.createTempFile(dir, "." + target.getFileName(), ".tmp");
      // a lone surrogate (a JSON "\\ud800" escape in an input text) has no UTF-8 form: it is
      // written as '?' like any Java string encoder does, instead of failing the whole file
      this.out = new BufferedWriter(new java.io.OutputStreamWriter(Files.newOutputStream(tmp),
          StandardCharsets.UTF_8.newEncoder()
              .onMalformedInput(java.nio.charset.CodingErrorAction.REPLACE)
              .onUnmappableCharacter(java.nio.charset.CodingErrorAction.REPLACE)));
    } catch (IOException e) {
      throw new JobFailedException(target + ": cannot create (" + e.getMessage() + ")", e);
    }
  }

  public void write(JsonNode record) {
    try {
      out.write(Json.LINE_MAPPER.writeValueAsString(record));
      out.write('\n');
      count++;
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException("record cannot be serialised", e);
    } catch (IOException e) {
      throw new UncheckedIOException(tmp + ": write failed", e);
    }
  }

  public long count() {
    return count;
  }

  /** Flushes and atomically moves the finished file over the target. */
  public void commit() {
    try {
      out.close();
      AtomicFiles.publish(tmp, target);
      committed = true;
    } catch (IOException e) {
      throw new JobFailedException(target + ": cannot finish (" + e.getMessage() + ")", e);
    }
  }

  @Override
  public void close() {
    if (committed) {
      return;
    }
    try {
      out.close();
      Files.deleteIfExists(tmp);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
