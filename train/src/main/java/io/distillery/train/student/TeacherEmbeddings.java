package io.distillery.train.student;

import ai.djl.nn.Parameter;
import io.distillery.core.ModelLoadException;
import io.distillery.export.graph.OnnxModels;
import io.distillery.export.onnx.OnnxProto.TensorProto;
import io.distillery.export.student.StudentArchitecture;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.nio.file.Path;
import java.util.Locale;

/**
 * Initialises a student's token table from the teacher's word embeddings (the ONNX initializer
 * {@value #INITIALIZER}, {@code [V, H]}; H = 384 for all-MiniLM-L6-v2), when the shapes allow:
 *
 * <ul>
 *   <li>vocabularies differ, or the student's table is wider than H: skipped;
 *   <li>the student's table width (E when factorised, else D) equals H: copied;
 *   <li>narrower: projected onto the table's top principal components (PCA of the centred rows,
 *       by an exact eigen-decomposition of the H x H covariance), so rows keep as much of the
 *       teacher's geometry as a k-dimensional linear map can.
 * </ul>
 *
 * The result is rescaled to a root-mean-square of {@code rms} per element, because the rest of
 * the student is initialised for that scale. With factorisation the {@code [E, D]} projection
 * stays random: D-space has no teacher meaning to copy.
 */
public final class TeacherEmbeddings {
  /** The word-embedding initializer of a Hugging Face BERT export. */
  public static final String INITIALIZER = "embeddings.word_embeddings.weight";

  /** What {@link #initialize} did. */
  public enum Outcome { COPIED, PROJECTED, SKIPPED }

  /**
   * @param outcome what was done
   * @param detail one line for the log, e.g. {@code PCA 384 -> 64 dims, 41.2% of the variance}
   */
  public record Report(Outcome outcome, String detail) {}

  /** The teacher's table: {@code rows x cols} floats, row-major. */
  public record Table(int rows, int cols, float[] values) {}

  private TeacherEmbeddings() {}

  /**
   * Reads the word-embedding table from a teacher ONNX file.
   *
   * @throws ModelLoadException if the file has no float 2-D initializer {@value #INITIALIZER}
   */
  public static Table read(Path teacherOnnx) {
    for (TensorProto t : OnnxModels.read(teacherOnnx).getGraph().getInitializerList()) {
      if (!t.getName().equals(INITIALIZER)) {
        continue;
      }
      if (t.getDataType() != TensorProto.DataType.FLOAT_VALUE || t.getDimsCount() != 2) {
        throw new ModelLoadException(teacherOnnx, "initializer '" + INITIALIZER
            + "' is not a 2-D float tensor (type " + t.getDataType() + ", dims " + t.getDimsList()
            + ")");
      }
      int rows = Math.toIntExact(t.getDims(0));
      int cols = Math.toIntExact(t.getDims(1));
      float[] values = new float[rows * cols];
      if (!t.getRawData().isEmpty()) {
        t.getRawData().asReadOnlyByteBuffer().order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer()
            .get(values);
      } else {
        for (int i = 0; i < values.length; i++) {
          values[i] = t.getFloatData(i);
        }
      }
      return new Table(rows, cols, values);
    }
    throw new ModelLoadException(teacherOnnx, "no initializer named '" + INITIALIZER
        + "' (not a BERT-style export); train the student from random embeddings instead");
  }

  /**
   * Sets the student's (initialised) token table from the teacher's, when shapes allow.
   *
   * @param rms per-element root-mean-square of the resulting table
   */
  public static Report initialize(StudentClassifier student, Table teacher, double rms) {
    StudentArchitecture arch = student.config().architecture();
    int width = arch.tokenTableWidth();
    if (teacher.rows() != arch.vocabSize()) {
      return new Report(Outcome.SKIPPED, "teacher vocabulary " + teacher.rows()
          + " != student vocabulary " + arch.vocabSize());
    }
    if (width > teacher.cols()) {
      return new Report(Outcome.SKIPPED, "student token table width " + width
          + " > teacher embedding width " + teacher.cols());
    }
    float[] table;
    String detail;
    if (width == teacher.cols()) {
      table = teacher.values().clone();
      detail = "copied " + teacher.rows() + " x " + width;
    } else {
      Projection p = project(teacher, width);
      table = p.scores();
      detail = String.format(Locale.ROOT, "PCA %d -> %d dims, %.1f%% of the variance",
          teacher.cols(), width, 100 * p.explained());
    }
    rescale(table, rms);
    Parameter word = student.namedParameters().get(StudentArchitecture.WORD_EMBEDDINGS);
    word.getArray().set(FloatBuffer.wrap(table));
    return new Report(width == teacher.cols() ? Outcome.COPIED : Outcome.PROJECTED,
        detail + String.format(Locale.ROOT, ", rescaled to rms %.3g", rms));
  }

  /**
   * The centred rows projected onto the top {@code k} principal components.
   *
   * @param scores {@code [rows, k]} row-major
   * @param explained fraction of the total variance the k components keep
   */
  record Projection(float[] scores, double explained) {}

  static Projection project(Table t, int k) {
    int n = t.rows();
    int h = t.cols();
    float[] x = t.values();
    double[] mean = new double[h];
    for (int r = 0; r < n; r++) {
      for (int c = 0; c < h; c++) {
        mean[c] += x[r * h + c];
      }
    }
    for (int c = 0; c < h; c++) {
      mean[c] /= n;
    }
    double[][] cov = new double[h][h];
    double[] row = new double[h];
    for (int r = 0; r < n; r++) {
      for (int c = 0; c < h; c++) {
        row[c] = x[r * h + c] - mean[c];
      }
      for (int i = 0; i < h; i++) {
        double ri = row[i];
        double[] ci = cov[i];
        for (int j = i; j < h; j++) {
          ci[j] += ri * row[j];
        }
      }
    }
    for (int i = 0; i < h; i++) {
      for (int j = i; j < h; j++) {
        cov[i][j] /= n;
        cov[j][i] = cov[i][j];
      }
    }
    JacobiEigen.Result eig = JacobiEigen.decompose(cov);
    double total = 0;
    double kept = 0;
    for (int i = 0; i < h; i++) {
      total += Math.max(0, eig.values()[i]);
      if (i < k) {
        kept += Math.max(0, eig.values()[i]);
      }
    }
    float[] scores = new float[n * k];
    for (int r = 0; r < n; r++) {
      for (int c = 0; c < h; c++) {
        row[c] = x[r * h + c] - mean[c];
      }
      for (int j = 0; j < k; j++) {
        double[] u = eig.vectors()[j];
        double s = 0;
        for (int c = 0; c < h; c++) {
          s += row[c] * u[c];
        }
        scores[r * k + j] = (float) s;
      }
    }
    return new Projection(scores, total > 0 ? kept / total : 0);
  }

  private static void rescale(float[] values, double rms) {
    double sq = 0;
    for (float v : values) {
      sq += (double) v * v;
    }
    double current = Math.sqrt(sq / Math.max(1, values.length));
    if (current > 0) {
      float f = (float) (rms / current);
      for (int i = 0; i < values.length; i++) {
        values[i] *= f;
      }
    }
  }
}
