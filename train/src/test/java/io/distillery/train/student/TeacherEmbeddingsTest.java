package io.distillery.train.student;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import io.distillery.core.ModelLoadException;
import io.distillery.export.graph.Dim;
import io.distillery.export.graph.ElemType;
import io.distillery.export.graph.OnnxGraph;
import io.distillery.export.graph.OnnxModels;
import io.distillery.export.graph.Op;
import io.distillery.export.graph.Ref;
import io.distillery.export.student.StudentArchitecture;
import java.nio.file.Path;
import java.util.Random;
import io.distillery.train.gpt.TorchThreads;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TeacherEmbeddingsTest {
  static {
    // one intra-op thread: tiny models gain nothing from more, and OpenMP spinning on a
    // busy 2-core machine slows them tenfold (only acts if the engine is not started yet)
    TorchThreads.configure(1, 1);
  }
  @TempDir Path dir;

  /** A teacher-like ONNX file whose only weight is a [rows, cols] word-embedding table. */
  private Path teacher(float[] table, int rows, int cols, String name) {
    OnnxGraph g = new OnnxGraph("teacher");
    Ref ids = g.input("input_ids", ElemType.INT64, Dim.of("batch"), Dim.of("sequence"));
    Ref w = g.initializer(name, table, rows, cols);
    g.output(w.apply(Op.GATHER, ids), "last_hidden_state", ElemType.FLOAT);
    Path file = dir.resolve(name.replace('.', '_') + ".onnx");
    OnnxModels.write(g.toModel(), file);
    return file;
  }

  /** 40 rows that lie in a 2-D plane of a 6-D space, plus a constant offset. */
  private static float[] planarTable(int rows) {
    Random rnd = new Random(11);
    float[] t = new float[rows * 6];
    for (int r = 0; r < rows; r++) {
      double a = rnd.nextGaussian() * 3;
      double b = rnd.nextGaussian();
      double[] row = {a + b, a - b, 2 * a, b, 0, -a};
      for (int c = 0; c < 6; c++) {
        t[r * 6 + c] = (float) (row[c] + 0.5);
      }
    }
    return t;
  }

  @Test
  void projectionKeepsAPlanarTablesGeometry() {
    float[] values = planarTable(40);
    TeacherEmbeddings.Table table = new TeacherEmbeddings.Table(40, 6, values);
    TeacherEmbeddings.Projection p = TeacherEmbeddings.project(table, 2);
    assertEquals(1.0, p.explained(), 1e-9);
    for (int i = 0; i < 40; i += 7) { // PCA onto the plane preserves distances between rows
      for (int j = i + 1; j < 40; j += 5) {
        double d6 = 0;
        for (int c = 0; c < 6; c++) {
          d6 += Math.pow(values[i * 6 + c] - values[j * 6 + c], 2);
        }
        double d2 = Math.pow(p.scores()[i * 2] - p.scores()[j * 2], 2)
            + Math.pow(p.scores()[i * 2 + 1] - p.scores()[j * 2 + 1], 2);
        assertEquals(Math.sqrt(d6), Math.sqrt(d2), 1e-3, "distance rows " + i + ", " + j);
      }
    }
    assertTrue(TeacherEmbeddings.project(table, 1).explained() < 0.999);
  }

  @Test
  void initialisesCopiesProjectsOrSkips() {
    Path file = teacher(planarTable(40), 40, 6, TeacherEmbeddings.INITIALIZER);
    TeacherEmbeddings.Table table = TeacherEmbeddings.read(file);
    assertEquals(40, table.rows());
    assertEquals(6, table.cols());
    try (NDManager m = StudentClassifierTest.manager()) {
      StudentClassifier factorised = StudentClassifierTest.tiny(m,
          new StudentConfig(1, 8, 2, 16, 8, 40, 2, 2, 0), 1);
      TeacherEmbeddings.Report r = TeacherEmbeddings.initialize(factorised, table, 0.5);
      assertEquals(TeacherEmbeddings.Outcome.PROJECTED, r.outcome());
      float[] word = factorised.namedParameters().get(StudentArchitecture.WORD_EMBEDDINGS)
          .getArray().toFloatArray();
      float[] expected = TeacherEmbeddings.project(table, 2).scores();
      double ratio = word[0] / expected[0];
      for (int i = 0; i < word.length; i++) {
        assertEquals(expected[i] * ratio, word[i], 1e-4, "scaled PCA score " + i);
      }
      double sq = 0;
      for (float v : word) {
        sq += v * v;
      }
      assertEquals(0.5, Math.sqrt(sq / word.length), 1e-4, "rescaled to the requested RMS");

      StudentClassifier plain = StudentClassifierTest.tiny(m,
          new StudentConfig(1, 6, 2, 16, 8, 40, 2, 0, 0), 2);
      assertEquals(TeacherEmbeddings.Outcome.COPIED,
          TeacherEmbeddings.initialize(plain, table, 0.1).outcome());

      StudentClassifier otherVocab = StudentClassifierTest.tiny(m,
          new StudentConfig(1, 6, 2, 16, 8, 41, 2, 0, 0), 3);
      float[] before = otherVocab.namedParameters().get(StudentArchitecture.WORD_EMBEDDINGS)
          .getArray().toFloatArray();
      TeacherEmbeddings.Report skipped = TeacherEmbeddings.initialize(otherVocab, table, 0.1);
      assertEquals(TeacherEmbeddings.Outcome.SKIPPED, skipped.outcome());
      assertTrue(skipped.detail().contains("41"), skipped.detail());
      org.junit.jupiter.api.Assertions.assertArrayEquals(before, otherVocab.namedParameters()
          .get(StudentArchitecture.WORD_EMBEDDINGS).getArray().toFloatArray());
    }
  }

  @Test
  void aTeacherWithoutWordEmbeddingsIsReported() {
    Path file = teacher(new float[12], 4, 3, "some.other.weight");
    ModelLoadException e =
        assertThrows(ModelLoadException.class, () -> TeacherEmbeddings.read(file));
    assertTrue(e.getMessage().contains(TeacherEmbeddings.INITIALIZER), e.getMessage());
  }
}
