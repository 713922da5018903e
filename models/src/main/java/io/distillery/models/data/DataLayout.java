package io.distillery.models.data;

import io.distillery.core.ConfigException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Where demo data lives. Committed files (the sentiment splits, the spam split ids, the READMEs)
 * sit in {@code <root>/models/data/<task>/}; files built from npm tarballs at build time (the spam
 * texts) in {@code <root>/models/build/data/<task>/}; downloaded tarballs in the npm cache, {@code
 * <root>/models/cache/npm/} unless overridden.
 *
 * @param root the repository root (the folder holding {@code models/})
 * @param npmCache the folder for verified npm tarballs
 */
public record DataLayout(Path root, Path npmCache) {
  /** System property naming the repository root (surefire sets it). */
  public static final String ROOT_PROPERTY = "distillery.root";

  /** System property overriding the npm tarball cache folder. */
  public static final String NPM_CACHE_PROPERTY = "distillery.npm.cache";

  public DataLayout {
    root = root.toAbsolutePath().normalize();
    npmCache = npmCache.toAbsolutePath().normalize();
  }

  /** The layout under {@code root} with the default npm cache. */
  public static DataLayout at(Path root) {
    return new DataLayout(root, root.resolve("models").resolve("cache").resolve("npm"));
  }

  /**
   * The layout of this checkout: {@code -Ddistillery.root} when set, otherwise the nearest folder
   * at or above the working directory that holds {@code models/pom.xml}; the npm cache follows
   * {@code -Ddistillery.npm.cache} when set.
   */
  public static DataLayout detect() {
    String rootProp = System.getProperty(ROOT_PROPERTY);
    Path root;
    if (rootProp != null && !rootProp.isBlank()) {
      root = Path.of(rootProp);
    } else {
      root = findRoot(Path.of(System.getProperty("user.dir")).toAbsolutePath());
    }
    DataLayout layout = at(root);
    String cacheProp = System.getProperty(NPM_CACHE_PROPERTY);
    return cacheProp == null || cacheProp.isBlank()
        ? layout
        : new DataLayout(root, Path.of(cacheProp));
  }

  private static Path findRoot(Path start) {
    for (Path dir = start; dir != null; dir = dir.getParent()) {
      if (Files.isRegularFile(dir.resolve("models").resolve("pom.xml"))) {
        return dir;
      }
    }
    throw new ConfigException(
        start
            + ": no Distillery checkout (a folder with models/pom.xml) here or above; set -D"
            + ROOT_PROPERTY
            + "=<repository root>");
  }

  /** {@code <root>/models/data/<task>}: files committed to the repository. */
  public Path committedDir(DemoTask task) {
    return root.resolve("models").resolve("data").resolve(task.dirName());
  }

  /** {@code <root>/models/build/data/<task>}: files materialised from npm at build time. */
  public Path buildDir(DemoTask task) {
    return root.resolve("models").resolve("build").resolve("data").resolve(task.dirName());
  }
}
