package io.distillery.train.gpt;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Parameter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * AdamW (Loshchilov and Hutter) with bias correction and decoupled weight decay on parameters
 * of rank >= 2. Its moment estimates are ordinary arrays, so a checkpoint can save and restore
 * them and a resumed run continues exactly. Call inside an {@code NDScope}: temporaries are not
 * closed here.
 */
public final class AdamW {
  private static final float BETA1 = 0.9f;
  private static final float BETA2 = 0.95f;
  private static final float EPS = 1e-8f;

  private final List<Parameter> params;
  private final List<NDArray> m = new ArrayList<>();
  private final List<NDArray> v = new ArrayList<>();
  private final float weightDecay;
  private int updates;

  /** Zero moments for every parameter, in the map's order, owned by {@code manager}. */
  public AdamW(Map<String, Parameter> params, NDManager manager, double weightDecay) {
    this.params = List.copyOf(params.values());
    this.weightDecay = (float) weightDecay;
    for (Parameter p : this.params) {
      m.add(manager.zeros(p.getArray().getShape()));
      v.add(manager.zeros(p.getArray().getShape()));
    }
  }

  public int updates() {
    return updates;
  }

  public List<NDArray> firstMoments() {
    return m;
  }

  public List<NDArray> secondMoments() {
    return v;
  }

  /** Restores moments and the update count from a checkpoint. */
  public void restore(List<float[]> first, List<float[]> second, int updateCount) {
    for (int i = 0; i < params.size(); i++) {
      m.get(i).set(first.get(i));
      v.get(i).set(second.get(i));
    }
    updates = updateCount;
  }

  /**
   * Global L2 norm of all gradients; if above {@code maxNorm} (> 0), scales them down to it.
   *
   * @return the norm before clipping
   */
  public double clipGradients(double maxNorm) {
    double sq = 0;
    List<NDArray> grads = new ArrayList<>();
    for (Parameter p : params) {
      NDArray g = p.getArray().getGradient();
      grads.add(g);
      sq += g.square().sum().getFloat();
    }
    double norm = Math.sqrt(sq);
    if (maxNorm > 0 && norm > maxNorm) {
      float scale = (float) (maxNorm / (norm + 1e-6));
      for (NDArray g : grads) {
        g.muli(scale);
      }
    }
    return norm;
  }

  /** One update with learning rate {@code lr}; zeroes the gradients afterwards. */
  public void step(double lr) {
    updates++;
    float bc1 = (float) (1 - Math.pow(BETA1, updates));
    float bc2 = (float) (1 - Math.pow(BETA2, updates));
    float stepSize = (float) (lr / bc1);
    for (int i = 0; i < params.size(); i++) {
      NDArray w = params.get(i).getArray();
      NDArray g = w.getGradient();
      m.get(i).muli(BETA1).addi(g.mul(1 - BETA1));
      v.get(i).muli(BETA2).addi(g.square().mul(1 - BETA2));
      if (weightDecay > 0 && w.getShape().dimension() >= 2) {
        w.muli(1 - (float) lr * weightDecay);
      }
      NDArray denom = v.get(i).div(bc2).sqrt().add(EPS);
      w.subi(m.get(i).mul(stepSize).div(denom));
      g.muli(0f);
    }
  }
}
