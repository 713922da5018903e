package io.distillery.spark.label;

import java.io.Serializable;
import java.nio.file.Path;
import org.apache.spark.SparkFiles;

/**
 * Where executors find the teacher folder: shipped by Spark ({@code SparkContext.addFile}, fetched
 * once per executor into its SparkFiles root) or at the same path on every node (shared storage).
 *
 * @param sparkFileName the folder's name among the SparkFiles, or null
 * @param sharedPath the absolute path every node sees, or null
 */
public record TeacherLocation(String sparkFileName, String sharedPath) implements Serializable {
  public TeacherLocation {
    if ((sparkFileName == null) == (sharedPath == null)) {
      throw new IllegalArgumentException("exactly one of sparkFileName and sharedPath must be set");
    }
  }

  public static TeacherLocation sparkFiles(String name) {
    return new TeacherLocation(name, null);
  }

  public static TeacherLocation shared(Path dir) {
    return new TeacherLocation(null, dir.toAbsolutePath().normalize().toString());
  }

  /** The folder on this node. */
  public Path resolve() {
    return sparkFileName != null ? Path.of(SparkFiles.get(sparkFileName)) : Path.of(sharedPath);
  }
}
