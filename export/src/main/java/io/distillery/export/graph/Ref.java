package io.distillery.export.graph;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A named value of one {@link OnnxGraph}: a graph input, an initializer or a node output. {@code
 * x.apply(Op.MATMUL, w).apply(Op.ADD, b)} appends nodes to x's graph; passing a ref of another
 * graph is rejected.
 */
public final class Ref {
  private final OnnxGraph graph;
  private final String name;

  Ref(OnnxGraph graph, String name) {
    this.graph = graph;
    this.name = name;
  }

  /** The value's name in the graph. */
  public String name() {
    return name;
  }

  public OnnxGraph graph() {
    return graph;
  }

  /** Appends {@code op(this, others...)} with no attributes and returns its single output. */
  public Ref apply(Op op, Ref... others) {
    return apply(op, Map.of(), others);
  }

  /** Appends {@code op(this, others...)} with the given attributes; returns its single output. */
  public Ref apply(Op op, Map<String, ?> attributes, Ref... others) {
    List<Ref> inputs = new ArrayList<>(others.length + 1);
    inputs.add(this);
    inputs.addAll(List.of(others));
    return graph.apply(op, inputs, attributes, 1).get(0);
  }

  @Override
  public String toString() {
    return name;
  }
}
