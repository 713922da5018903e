package io.distillery.runtime.bench;

import io.distillery.export.onnx.OnnxProto.ModelProto;
import io.distillery.export.onnx.OnnxProto.NodeProto;
import io.distillery.export.onnx.OnnxProto.TensorProto;
import java.util.HashMap;
import java.util.Map;

/**
 * FLOPs a transformer spends per token in its dense layers: 2 x the elements of every weight
 * matrix that a MatMul or Gemm multiplies by (an initializer operand of rank 2). Attention
 * score/value products (4·T·H per layer) are left out: at the ~20-token sentences here they are
 * under 1% of the dense work. Quantised models (MatMulInteger) are not counted.
 */
public final class DenseFlops {
  private DenseFlops() {}

  public static long perToken(ModelProto model) {
    Map<String, TensorProto> inits = new HashMap<>();
    for (TensorProto t : model.getGraph().getInitializerList()) {
      inits.put(t.getName(), t);
    }
    long weights = 0;
    for (NodeProto node : model.getGraph().getNodeList()) {
      String op = node.getOpType();
      if (!op.equals("MatMul") && !op.equals("Gemm")) {
        continue;
      }
      for (String in : node.getInputList()) {
        TensorProto t = inits.get(in);
        if (t != null && t.getDimsCount() == 2) {
          weights += t.getDims(0) * t.getDims(1);
        }
      }
    }
    return 2 * weights;
  }
}
