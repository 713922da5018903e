package io.distillery.models.teacher;

import io.distillery.core.AtomicFiles;
import io.distillery.core.Sha256;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * Caches pooled sentence embeddings {@code [N, H]} on disk, keyed by the encoder and the exact
 * texts, so rebuilding a teacher does not re-run the encoder over thousands of emails. A file
 * whose key differs (other texts, other encoder) or that is cut short is recomputed.
 */
final class EmbeddingCache {
  private static final int MAGIC = 0x44454d42; // "DEMB"

  private EmbeddingCache() {}

  static String key(String encoderId, List<String> texts) {
    StringBuilder sb = new StringBuilder(encoderId).append('\u0000');
    for (String t : texts) {
      sb.append(t).append('\u0000');
    }
    return Sha256.of(sb.toString().getBytes(StandardCharsets.UTF_8));
  }

  static float[][] getOrCompute(Path file, String key, Supplier<float[][]> compute) {
    Optional<float[][]> cached = read(file, key);
    if (cached.isPresent()) {
      return cached.get();
    }
    float[][] x = compute.get();
    AtomicFiles.write(
        file,
        raw -> {
          DataOutputStream out = new DataOutputStream(new java.io.BufferedOutputStream(raw));
          out.writeInt(MAGIC);
          out.writeUTF(key);
          out.writeInt(x.length);
          out.writeInt(x.length == 0 ? 0 : x[0].length);
          for (float[] row : x) {
            for (float v : row) {
              out.writeFloat(v);
            }
          }
          out.flush();
        });
    return x;
  }

  private static Optional<float[][]> read(Path file, String key) {
    if (!Files.isRegularFile(file)) {
      return Optional.empty();
    }
    try (InputStream raw = Files.newInputStream(file);
        DataInputStream in = new DataInputStream(new java.io.BufferedInputStream(raw))) {
      if (in.readInt() != MAGIC || !in.readUTF().equals(key)) {
        return Optional.empty();
      }
      int n = in.readInt();
      int h = in.readInt();
      float[][] x = new float[n][h];
      for (float[] row : x) {
        for (int j = 0; j < h; j++) {
          row[j] = in.readFloat();
        }
      }
      return Optional.of(x);
    } catch (IOException e) {
      return Optional.empty(); // torn or foreign file: recompute
    }
  }
}
