package io.distillery.train.student;

import io.distillery.core.ConfigException;
import java.nio.file.Path;

/** How a new student's token table starts (a resumed run ignores this: it loads its checkpoint). */
public sealed interface EmbeddingInit permits EmbeddingInit.FromScratch, EmbeddingInit.FromTeacher {
  /** Per-element RMS of a teacher-initialised table (0.1 and 0.5 tied on sentiment dev). */
  double DEFAULT_TEACHER_RMS = 0.5;

  /** Normal(0, {@link StudentClassifier#TOKEN_INIT_STD}) rows. */
  record FromScratch() implements EmbeddingInit {}

  /**
   * The teacher's word embeddings, copied or PCA-projected to the student's width, see {@link
   * TeacherEmbeddings}.
   *
   * @param teacherOnnx the teacher's model.onnx (with a BERT-style word-embedding initializer)
   * @param rms per-element root-mean-square the table is rescaled to (> 0)
   * @param required fail when the teacher has no such table; otherwise start from scratch (an
   *     int8 export, say) and say so
   */
  record FromTeacher(Path teacherOnnx, double rms, boolean required) implements EmbeddingInit {
    public FromTeacher {
      if (teacherOnnx == null) {
        throw new ConfigException("teacher embedding init: teacherOnnx must be set");
      }
      if (!(rms > 0) || Double.isInfinite(rms)) {
        throw new ConfigException("teacher embedding init: rms must be > 0, got " + rms);
      }
    }
  }

  static EmbeddingInit fromScratch() {
    return new FromScratch();
  }

  static EmbeddingInit fromTeacher(Path teacherOnnx) {
    return new FromTeacher(teacherOnnx, DEFAULT_TEACHER_RMS, true);
  }

  /** The teacher's table when it has one, else from scratch. */
  static EmbeddingInit fromTeacherIfPresent(Path teacherOnnx) {
    return new FromTeacher(teacherOnnx, DEFAULT_TEACHER_RMS, false);
  }
}
