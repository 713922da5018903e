package io.distillery.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class JsonlReaderTest {
  @TempDir Path dir;

  @Test
  void readsObjectsWithTheirLineNumbersSkippingBlankLines() throws Exception {
    Path f = dir.resolve("in.jsonl");
    Files.writeString(f, "{\"text\":\"a\"}\n\n{\"text\":\"b\"}\n");
    List<JsonlReader.Line> lines = JsonlReader.readAll(f);
    assertEquals(2, lines.size());
    assertEquals(1, lines.get(0).number());
    assertEquals(3, lines.get(1).number());
    assertEquals("b", lines.get(1).json().get("text").asText());
  }

  @Test
  void aLineThatIsNotJsonNamesTheFileAndLine() throws Exception {
    Path f = dir.resolve("bad.jsonl");
    Files.writeString(f, "{\"text\":\"a\"}\n{\"text\":\"b\"}\nthis is not json\n");
    BadInputException e = assertThrows(BadInputException.class, () -> JsonlReader.readAll(f));
    assertTrue(e.getMessage().startsWith(f + ": line 3: not valid JSON"), e.getMessage());
    assertFalse(e.getMessage().contains("\n"), "one-line message");
    assertEquals(ExitCode.BAD_INPUT, e.exitCode());
  }

  @Test
  void aJsonValueThatIsNotAnObjectIsRejected() throws Exception {
    Path f = dir.resolve("arr.jsonl");
    Files.writeString(f, "[1,2]\n");
    BadInputException e = assertThrows(BadInputException.class, () -> JsonlReader.readAll(f));
    assertTrue(e.getMessage().contains("line 1: expected a JSON object, found ARRAY"));
  }

  @Test
  void emptyAndMissingFilesAreErrors() throws Exception {
    Path empty = dir.resolve("empty.jsonl");
    Files.writeString(empty, "\n  \n");
    assertTrue(
        assertThrows(BadInputException.class, () -> JsonlReader.readAll(empty))
            .getMessage()
            .contains("empty input"));
    Path missing = dir.resolve("missing.jsonl");
    assertTrue(
        assertThrows(BadInputException.class, () -> JsonlReader.readAll(missing))
            .getMessage()
            .startsWith(missing + ": no such file"));
  }

  @Test
  void writerOnlyReplacesTheTargetOnCommit() throws Exception {
    Path f = dir.resolve("out.jsonl");
    Files.writeString(f, "{\"old\":true}\n");
    try (JsonlWriter w = new JsonlWriter(f)) {
      ObjectNode rec = Json.LINE_MAPPER.createObjectNode().put("text", "new");
      w.write(rec);
      // not committed: closing discards the partial file and keeps the old one
    }
    assertEquals("{\"old\":true}\n", Files.readString(f));
    try (JsonlWriter w = new JsonlWriter(f)) {
      w.write(Json.LINE_MAPPER.createObjectNode().put("text", "new"));
      w.commit();
    }
    assertEquals("{\"text\":\"new\"}\n", Files.readString(f));
    try (var s = Files.list(dir)) {
      assertEquals(1, s.count(), "no temp files left behind");
    }
  }

  @Test
  void checksumVerificationNamesTheFile() throws Exception {
    Path f = dir.resolve("x.bin");
    AtomicFiles.writeString(f, "abc");
    Sha256.verify(f, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    BadInputException e =
        assertThrows(BadInputException.class, () -> Sha256.verify(f, "00"));
    assertTrue(e.getMessage().startsWith(f + ": checksum mismatch"));
  }

  @Test
  void progressLineShowsRateAndEta() {
    Progress p = new Progress("label", "texts", 100, System.err, 1e9);
    p.advance(50);
    String line = p.line(System.nanoTime());
    assertTrue(line.startsWith("[label] 50/100 texts,"), line);
    assertTrue(line.contains("ETA"), line);
  }
}
