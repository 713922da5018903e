package io.distillery.spark.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Bad input ends the Spark application before Spark starts: one line, exit code 2. */
class SparkSynthAppTest {
  @TempDir Path dir;

  private int run(StringWriter err, String... args) {
    return SparkSynthApp.commandLine(new PrintWriter(new StringWriter()), new PrintWriter(err, true)).execute(args);
  }

  @Test
  void aMissingCorpusIsBadInputNamingTheFile() {
    StringWriter err = new StringWriter();
    Path missing = dir.resolve("general.txt");
    int code = run(err, "--teacher", dir.toString(), "--corpus", missing.toString(), "--out",
        dir.resolve("out").toString(), "--description", "x");
    assertEquals(2, code);
    assertTrue(err.toString().startsWith("error: " + missing + ": no such file"), err.toString());
    assertEquals(1, err.toString().strip().lines().count(), err.toString());
  }

  @Test
  void anUnknownUnitIsAUsageError() {
    StringWriter err = new StringWriter();
    int code = run(err, "--teacher", dir.toString(), "--corpus", dir.toString(), "--out", dir.toString(),
        "--description", "x", "--unit", "paragraph");
    assertEquals(2, code);
    assertTrue(err.toString().contains("--unit must be line or sentence, got paragraph"), err.toString());
  }
}
