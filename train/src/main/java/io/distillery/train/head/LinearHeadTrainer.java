package io.distillery.train.head;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.nn.core.Linear;
import ai.djl.pytorch.jni.JniUtils;
import ai.djl.training.GradientCollector;
import ai.djl.training.LocalParameterServer;
import ai.djl.training.ParameterStore;
import ai.djl.training.initializer.Initializer;
import ai.djl.training.loss.Loss;
import ai.djl.training.optimizer.Optimizer;
import ai.djl.training.tracker.Tracker;
import io.distillery.core.ShapeMismatchException;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Fits a linear classifier head ({@code logits = x · W + b}) on fixed feature vectors, e.g. the
 * mean-pooled sentence embeddings of a frozen encoder, with DJL on the PyTorch engine.
 *
 * <p>One DJL {@link Linear} block, zero-initialised (the problem is convex, so no random start is
 * needed), softmax cross-entropy, AdamW with decoupled weight decay, shuffled mini-batches in an
 * order drawn from {@code config.seed()}. After each epoch the whole train and dev sets are scored;
 * the epoch with the best dev accuracy (ties: lower dev loss) is kept. Only train and dev data go
 * in: model selection never sees a test set. With {@code standardize} the block trains on
 * standardised features and the scaling is folded into the returned weights, which therefore apply
 * to the raw features.
 *
 * <p>While it trains, PyTorch's intra-op pool is set to one thread (and restored afterwards): the
 * ops here are {@code [B, H] x [H, L]} with L = 2 or 3, far too small to gain from threads, and on
 * a busy 2-core machine the thread hand-offs made training about ten times slower.
 */
public final class LinearHeadTrainer {
  private static final String ENGINE = "PyTorch";
  private static final int EVAL_CHUNK = 1024;

  private LinearHeadTrainer() {}

  /**
   * Trains a head.
   *
   * @param trainX training features {@code [N, H]}
   * @param trainY training labels {@code [N]} in {@code [0, numLabels)}
   * @param devX dev features {@code [M, H]} (selects the epoch)
   * @param devY dev labels {@code [M]}
   * @param numLabels L, at least 2
   * @return the head on raw features: weight {@code [H, L]}, bias {@code [L]}, and its metrics
   */
  public static LinearHead train(
      float[][] trainX,
      int[] trainY,
      float[][] devX,
      int[] devY,
      int numLabels,
      HeadTrainingConfig config) {
    int h = checkInputs(trainX, trainY, devX, devY, numLabels);
    FeatureScaling scaling =
        config.standardize() ? FeatureScaling.fit(trainX) : FeatureScaling.identity(h);
    float[] train = scaling.applyFlat(trainX);
    float[] dev = scaling.applyFlat(devX);
    Engine engine = Engine.getEngine(ENGINE);
    engine.setRandomSeed((int) (config.seed() ^ (config.seed() >>> 32)));
    int threads = JniUtils.getNumThreads();
    JniUtils.setNumThreads(1);
    try (NDManager manager = engine.newBaseManager(Device.cpu())) {
      Linear linear = Linear.builder().setUnits(numLabels).build();
      linear.setInitializer(Initializer.ZEROS, Parameter.Type.WEIGHT);
      linear.setInitializer(Initializer.ZEROS, Parameter.Type.BIAS);
      linear.initialize(manager, DataType.FLOAT32, new Shape(config.batchSize(), h));
      Optimizer optimizer =
          Optimizer.adamW()
              .optLearningRateTracker(Tracker.fixed(config.learningRate()))
              .optWeightDecays(config.weightDecay())
              .build();
      // A ParameterStore rather than a Trainer: Trainer.step() rejects a first step whose
      // gradients sum to zero, and softmax-linear gradients always do (each row of p - y sums
      // to 0), although they are not zero.
      ParameterStore parameters = new ParameterStore(manager, false);
      parameters.setParameterServer(
          new LocalParameterServer(optimizer), new Device[] {Device.cpu()});
      Step step = new Step(engine, manager, linear, parameters, Loss.softmaxCrossEntropyLoss());
      return fit(step, scaling, train, trainY, dev, devY, h, numLabels, config);
    } finally {
      JniUtils.setNumThreads(threads);
    }
  }

  /** The DJL pieces one training step needs. */
  private record Step(
      Engine engine, NDManager manager, Linear linear, ParameterStore parameters, Loss loss) {}

  private static LinearHead fit(
      Step step,
      FeatureScaling scaling,
      float[] train,
      int[] trainY,
      float[] dev,
      int[] devY,
      int h,
      int numLabels,
      HeadTrainingConfig config) {
    Random order = new Random(config.seed());
    int n = trainY.length;
    List<HeadMetrics.EpochMetrics> history = new ArrayList<>();
    HeadMetrics.EpochMetrics best = null;
    float[] bestWeight = null; // [L * H], DJL's (out, in) layout
    float[] bestBias = null;
    float[] bestDevLogits = null;
    int[] perm = new int[n];
    for (int i = 0; i < n; i++) {
      perm[i] = i;
    }
    for (int epoch = 1; epoch <= config.epochs(); epoch++) {
      shuffle(perm, order);
      double lossSum = 0;
      for (int start = 0; start < n; start += config.batchSize()) {
        int b = Math.min(config.batchSize(), n - start);
        float[] xb = new float[b * h];
        long[] yb = new long[b];
        for (int i = 0; i < b; i++) {
          System.arraycopy(train, perm[start + i] * h, xb, i * h, h);
          yb[i] = trainY[perm[start + i]];
        }
        try (NDManager batch = step.manager().newSubManager()) {
          NDArray x = batch.create(xb, new Shape(b, h)); // [B, H]
          NDArray y = batch.create(yb); // [B]
          try (GradientCollector collector = step.engine().newGradientCollector()) {
            NDArray logits =
                step.linear().forward(step.parameters(), new NDList(x), true).singletonOrThrow();
            NDArray loss = step.loss().evaluate(new NDList(y), new NDList(logits)); // []
            collector.backward(loss);
            lossSum += loss.getFloat() * b;
          }
          step.parameters().updateAllParameters();
        }
      }
      float[] trainLogits = score(step, train, n, h); // [N * L]
      float[] devLogits = score(step, dev, devY.length, h); // [M * L]
      HeadMetrics.EpochMetrics m =
          new HeadMetrics.EpochMetrics(
              epoch,
              lossSum / n,
              accuracy(trainLogits, trainY, numLabels),
              accuracy(devLogits, devY, numLabels),
              crossEntropy(devLogits, devY, numLabels));
      history.add(m);
      if (best == null
          || m.devAccuracy() > best.devAccuracy()
          || (m.devAccuracy() == best.devAccuracy() && m.devLoss() < best.devLoss())) {
        best = m;
        bestWeight = step.linear().getParameters().get("weight").getArray().toFloatArray();
        bestBias = step.linear().getParameters().get("bias").getArray().toFloatArray();
        bestDevLogits = devLogits;
      }
    }
    HeadMetrics metrics =
        new HeadMetrics(
            best.epoch(),
            best.trainAccuracy(),
            best.devAccuracy(),
            best.devLoss(),
            history,
            rows(bestDevLogits, devY.length, numLabels));
    return scaling.fold(bestWeight, bestBias, metrics);
  }

  /** Inference-mode logits of {@code x [n * h]}, flattened {@code [n * L]}. */
  private static float[] score(Step step, float[] x, int n, int h) {
    List<float[]> chunks = new ArrayList<>();
    int total = 0;
    for (int start = 0; start < n; start += EVAL_CHUNK) {
      int b = Math.min(EVAL_CHUNK, n - start);
      float[] xb = new float[b * h];
      System.arraycopy(x, start * h, xb, 0, b * h);
      try (NDManager chunk = step.manager().newSubManager()) {
        NDArray in = chunk.create(xb, new Shape(b, h)); // [b, H]
        float[] out =
            step.linear()
                .forward(step.parameters(), new NDList(in), false)
                .singletonOrThrow()
                .toFloatArray();
        chunks.add(out);
        total += out.length;
      }
    }
    float[] all = new float[total];
    int at = 0;
    for (float[] c : chunks) {
      System.arraycopy(c, 0, all, at, c.length);
      at += c.length;
    }
    return all;
  }

  private static double accuracy(float[] logits, int[] y, int labels) {
    int right = 0;
    float[] row = new float[labels];
    for (int i = 0; i < y.length; i++) {
      System.arraycopy(logits, i * labels, row, 0, labels);
      if (LinearHead.argMax(row) == y[i]) {
        right++;
      }
    }
    return (double) right / y.length;
  }

  private static double crossEntropy(float[] logits, int[] y, int labels) {
    double sum = 0;
    for (int i = 0; i < y.length; i++) {
      double max = Double.NEGATIVE_INFINITY;
      for (int l = 0; l < labels; l++) {
        max = Math.max(max, logits[i * labels + l]);
      }
      double z = 0;
      for (int l = 0; l < labels; l++) {
        z += Math.exp(logits[i * labels + l] - max);
      }
      sum += max + Math.log(z) - logits[i * labels + y[i]];
    }
    return sum / y.length;
  }

  private static float[][] rows(float[] flat, int n, int labels) {
    float[][] out = new float[n][labels];
    for (int i = 0; i < n; i++) {
      System.arraycopy(flat, i * labels, out[i], 0, labels);
    }
    return out;
  }

  private static void shuffle(int[] a, Random random) {
    for (int i = a.length - 1; i > 0; i--) {
      int j = random.nextInt(i + 1);
      int t = a[i];
      a[i] = a[j];
      a[j] = t;
    }
  }

  /** Checks shapes, labels and values once at the boundary; returns H. */
  private static int checkInputs(
      float[][] trainX, int[] trainY, float[][] devX, int[] devY, int numLabels) {
    if (numLabels < 2) {
      throw new IllegalArgumentException("head training: numLabels must be >= 2, got " + numLabels);
    }
    if (trainX.length == 0 || devX.length == 0) {
      throw new ShapeMismatchException(
          "head training: trainX and devX need at least one row each, found "
              + trainX.length
              + " and "
              + devX.length);
    }
    int h = trainX[0].length;
    if (h == 0) {
      throw new ShapeMismatchException("head training: trainX rows have no features");
    }
    checkSet("train", trainX, trainY, h, numLabels);
    checkSet("dev", devX, devY, h, numLabels);
    return h;
  }

  private static void checkSet(String name, float[][] x, int[] y, int h, int numLabels) {
    if (x.length != y.length) {
      throw new ShapeMismatchException(
          "head training: "
              + name
              + "X has "
              + x.length
              + " rows but "
              + name
              + "Y has "
              + y.length
              + " labels");
    }
    for (int i = 0; i < x.length; i++) {
      if (x[i].length != h) {
        throw new ShapeMismatchException(
            "head training: "
                + name
                + "X["
                + i
                + "] has "
                + x[i].length
                + " features, expected "
                + h);
      }
      for (float v : x[i]) {
        if (!Float.isFinite(v)) {
          throw new ShapeMismatchException(
              "head training: " + name + "X[" + i + "] holds a non-finite value " + v);
        }
      }
      if (y[i] < 0 || y[i] >= numLabels) {
        throw new ShapeMismatchException(
            "head training: "
                + name
                + "Y["
                + i
                + "] = "
                + y[i]
                + " outside [0, "
                + numLabels
                + ")");
      }
    }
  }
}
