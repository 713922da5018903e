package io.distillery.runtime.bench;

import io.distillery.export.onnx.OnnxProto.ModelProto;
import io.distillery.export.onnx.OnnxProto.NodeProto;
import io.distillery.export.onnx.OnnxProto.TensorProto;
import java.util.HashMap;
import java.util.Map;

/**
 * FLOPs a transformer spends per token in its dense layers: 2 x the elements of every weight
 * matrix that a MatMul, Gemm or MatMulInteger (int8) multiplies by: an initializer operand of rank
 * 2, or the Transpose of one (a GPT's tied logits head). Attention score/value products (4·T·H per
 * layer) are left out: at the ~20-token sentences here they are under 1% of the dense work. So an
 * int8 export counts the same FLOPs as its fp32 source.
 */
public final class DenseFlops {
  private DenseFlops() {}

  public static long perToken(ModelProto model) {
    Map<String, TensorProto> inits = new HashMap<>();
    for (TensorProto t : model.getGraph().getInitializerList()) {
      inits.put(t.getName(), t);
    }
    Map<String, TensorProto> transposed = new HashMap<>();
    for (NodeProto node : model.getGraph().getNodeList()) {
      if (node.getOpType().equals("Transpose") && inits.containsKey(node.getInput(0))) {
        transposed.put(node.getOutput(0), inits.get(node.getInput(0)));
      }
    }
    long weights = 0;
    for (NodeProto node : model.getGraph().getNodeList()) {
      String op = node.getOpType();
      if (!op.equals("MatMul") && !op.equals("Gemm") && !op.equals("MatMulInteger")) {
        continue;
      }
      for (String in : node.getInputList()) {
        TensorProto t = inits.containsKey(in) ? inits.get(in) : transposed.get(in);
        if (t != null && t.getDimsCount() == 2) {
          weights += t.getDims(0) * t.getDims(1);
        }
      }
    }
    return 2 * weights;
  }
}
