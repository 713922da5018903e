package io.distillery.export.graph;

import io.distillery.export.ExportException;
import io.distillery.export.onnx.OnnxProto.GraphProto;
import io.distillery.export.onnx.OnnxProto.ModelProto;
import io.distillery.export.onnx.OnnxProto.NodeProto;
import io.distillery.export.onnx.OnnxProto.OperatorSetIdProto;
import io.distillery.export.onnx.OnnxProto.StringStringEntryProto;
import io.distillery.export.onnx.OnnxProto.TensorProto;
import io.distillery.export.onnx.OnnxProto.TensorShapeProto;
import io.distillery.export.onnx.OnnxProto.TypeProto;
import io.distillery.export.onnx.OnnxProto.ValueInfoProto;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Builds one ONNX model: owns the graph's unique names, nodes, initializers, inputs, outputs,
 * value infos, the target opset (11 to 17, default 17), the IR version and {@code
 * metadata_props}. Values are {@link Ref}s; {@link Ref#apply} appends nodes in order, so the graph
 * stays topologically sorted. Not thread-safe.
 *
 * <p>{@link #extend} starts from an existing model (keeping its nodes, opset and IR version) so
 * that new nodes can be appended to it, each new name starting with a prefix such as "head/".
 */
public final class OnnxGraph {
  public static final int DEFAULT_OPSET = Op.MAX_OPSET;
  public static final String PRODUCER = "distillery";

  private final ModelProto base;
  private final int opset;
  private final long irVersion;
  private final String prefix;
  private final GraphProto.Builder graph;
  private final Map<String, String> metadata = new LinkedHashMap<>();
  private final Set<String> valueNames = new HashSet<>();
  private final Set<String> nodeNames = new HashSet<>();
  /** Whether a {@link ContribOp} node was added (the model then imports its domain). */
  private boolean usesContribOps;

  /** A new, empty graph at the default opset ({@value #DEFAULT_OPSET}). */
  public OnnxGraph(String graphName) {
    this(graphName, DEFAULT_OPSET);
  }

  /** A new, empty graph targeting the given default-domain opset (11 to 17). */
  public OnnxGraph(String graphName, int opset) {
    this(null, GraphProto.newBuilder().setName(graphName), checkOpset(opset), irVersionFor(opset), "");
  }

  private OnnxGraph(ModelProto base, GraphProto.Builder graph, int opset, long ir, String prefix) {
    this.base = base;
    this.graph = graph;
    this.opset = opset;
    this.irVersion = ir;
    this.prefix = prefix;
  }

  /**
   * A builder that appends to a copy of {@code base}: same nodes, initializers, inputs, outputs,
   * opset imports and metadata; the IR version rises only if the opset needs it. Every name this
   * builder makes starts with {@code namePrefix} and is checked against the names already there.
   *
   * @throws ExportException if base has no default-domain opset in 11..17
   */
  public static OnnxGraph extend(ModelProto base, String namePrefix) {
    int opset = defaultOpset(base);
    long ir = Math.max(base.getIrVersion(), irVersionFor(opset));
    OnnxGraph g = new OnnxGraph(base, base.getGraph().toBuilder(), opset, ir, namePrefix);
    g.collectNames(base.getGraph());
    base.getMetadataPropsList().forEach(e -> g.metadata.put(e.getKey(), e.getValue()));
    return g;
  }

  /** The lowest IR version that can carry the given opset (IR 8 for opsets 15 to 17). */
  public static long irVersionFor(int opset) {
    checkOpset(opset);
    return opset <= 11 ? 6 : opset <= 14 ? 7 : 8;
  }

  /** The version of the default ("" or "ai.onnx") domain a model imports. */
  public static int defaultOpset(ModelProto model) {
    for (OperatorSetIdProto id : model.getOpsetImportList()) {
      if (id.getDomain().isEmpty() || id.getDomain().equals("ai.onnx")) {
        long v = id.getVersion();
        if (v < Op.MIN_OPSET || v > Op.MAX_OPSET) {
          throw new ExportException(
              "model imports default-domain opset " + v + "; Distillery writes opsets "
                  + Op.MIN_OPSET + " to " + Op.MAX_OPSET);
        }
        return (int) v;
      }
    }
    throw new ExportException("model imports no default-domain opset (has " + domains(model) + ")");
  }

  public int opset() {
    return opset;
  }

  public long irVersion() {
    return irVersion;
  }

  /** Declares a graph input with exactly this name; {@code dims} empty leaves the shape open. */
  public Ref input(String name, ElemType type, Dim... dims) {
    claimExact(name);
    graph.addInput(valueInfo(name, type, dims));
    return new Ref(this, name);
  }

  /** A ref to a value already in the graph (an input, initializer or node output of the base). */
  public Ref value(String name) {
    if (!valueNames.contains(name)) {
      throw new IllegalArgumentException("graph has no value named '" + name + "'");
    }
    return new Ref(this, name);
  }

  /** Whether some input, initializer or node output of the graph already has this name. */
  public boolean hasValue(String name) {
    return valueNames.contains(name);
  }

  /** A float initializer of the given shape, named {@code prefix + baseName} (made unique). */
  public Ref initializer(String baseName, float[] values, long... dims) {
    return addInitializer(Tensors.floats(uniqueName(prefix + baseName), values, dims));
  }

  /** An int64 initializer of the given shape, named {@code prefix + baseName} (made unique). */
  public Ref initializer(String baseName, long[] values, long... dims) {
    return addInitializer(Tensors.longs(uniqueName(prefix + baseName), values, dims));
  }

  /** A float {@code [rows, cols]} initializer from a rectangular matrix. */
  public Ref initializer(String baseName, float[][] matrix) {
    return addInitializer(Tensors.matrix(uniqueName(prefix + baseName), matrix));
  }

  /** A float scalar initializer. */
  public Ref scalar(String baseName, float value) {
    return initializer(baseName, new float[] {value});
  }

  /** A 1-D int64 initializer, e.g. a shape or axes constant. */
  public Ref vector(String baseName, long... values) {
    return initializer(baseName, values, values.length);
  }

  /**
   * Appends one node and returns its outputs. Checks the inputs belong to this graph, the arity,
   * the attribute names, and that the op and its attributes exist at this graph's opset; emits
   * the opset's form of {@code axes} (see {@link Op}).
   *
   * @throws ExportException if the op or an attribute does not exist at this graph's opset
   */
  public List<Ref> apply(Op op, List<Ref> inputs, Map<String, ?> attributes, int outputs) {
    for (Ref in : inputs) {
      if (in.graph() != this) {
        throw new IllegalArgumentException(
            op.onnxName() + ": input '" + in.name() + "' belongs to another graph");
      }
    }
    if (outputs < 1 || outputs > op.maxOutputs()) {
      throw new IllegalArgumentException(
          op.onnxName() + " has 1 to " + op.maxOutputs() + " outputs, asked for " + outputs);
    }
    List<String> outNames = new ArrayList<>();
    String nodeName = uniqueNodeName(prefix + op.onnxName());
    for (int i = 0; i < outputs; i++) {
      outNames.add(uniqueName(nodeName + "_output_" + i));
    }
    List<String> inNames = new ArrayList<>(inputs.stream().map(Ref::name).toList());
    // sorted by name: a Map.of's iteration order changes from one JVM to the next, and the same
    // model must be the same bytes (a resumed distillation is checked against an uninterrupted one)
    emit(op, nodeName, inNames, new java.util.TreeMap<>(attributes), outNames);
    return outNames.stream().map(n -> new Ref(this, n)).toList();
  }

  /**
   * Appends one ONNX Runtime contrib node ({@link ContribOp}) and returns the outputs in the
   * requested slots; slots before the highest one asked for that are not asked for are left empty
   * (optional outputs the kernel then skips). The model imports {@value ContribOp#DOMAIN} version
   * {@value ContribOp#VERSION}. Optional inputs may be null (an empty input name).
   *
   * @param outputSlots ascending output indices, e.g. {@code 0, 3}
   */
  public List<Ref> apply(ContribOp op, List<Ref> inputs, Map<String, ?> attributes,
      int... outputSlots) {
    if (inputs.size() < op.minInputs() || inputs.size() > op.maxInputs()) {
      throw new IllegalArgumentException(op.onnxName() + " takes " + op.minInputs() + " to "
          + op.maxInputs() + " inputs, got " + inputs.size());
    }
    List<String> inNames = new ArrayList<>();
    for (Ref in : inputs) {
      if (in != null && in.graph() != this) {
        throw new IllegalArgumentException(
            op.onnxName() + ": input '" + in.name() + "' belongs to another graph");
      }
      inNames.add(in == null ? "" : in.name());
    }
    for (String key : attributes.keySet()) {
      if (!op.attributes().contains(key)) {
        throw new IllegalArgumentException(op.onnxName() + " has no attribute '" + key + "'");
      }
    }
    if (outputSlots.length == 0 || outputSlots[outputSlots.length - 1] >= op.maxOutputs()) {
      throw new IllegalArgumentException(op.onnxName() + " has output slots 0 to "
          + (op.maxOutputs() - 1) + ", asked for " + java.util.Arrays.toString(outputSlots));
    }
    String nodeName = uniqueNodeName(prefix + op.onnxName());
    List<String> outNames = new ArrayList<>();
    List<Ref> refs = new ArrayList<>();
    int next = 0;
    for (int slot = 0; slot <= outputSlots[outputSlots.length - 1]; slot++) {
      if (next < outputSlots.length && outputSlots[next] == slot) {
        String name = uniqueName(nodeName + "_output_" + slot);
        outNames.add(name);
        refs.add(new Ref(this, name));
        next++;
      } else {
        outNames.add("");
      }
    }
    if (next != outputSlots.length) {
      throw new IllegalArgumentException(op.onnxName() + ": output slots must ascend, got "
          + java.util.Arrays.toString(outputSlots));
    }
    NodeProto.Builder node = NodeProto.newBuilder().setName(nodeName).setOpType(op.onnxName())
        .setDomain(ContribOp.DOMAIN);
    new java.util.TreeMap<String, Object>(attributes)
        .forEach((k, v) -> node.addAttribute(Attributes.of(k, v)));
    graph.addNode(node.addAllInput(inNames).addAllOutput(outNames));
    usesContribOps = true;
    return refs;
  }

  /**
   * Declares {@code value} a graph output called exactly {@code name}, through an Identity node
   * when the value has another name. {@code dims} empty leaves the shape open.
   */
  public Ref output(Ref value, String name, ElemType type, Dim... dims) {
    if (value.graph() != this) {
      throw new IllegalArgumentException("output '" + name + "': value belongs to another graph");
    }
    if (!value.name().equals(name)) {
      claimExact(name);
      String node = uniqueNodeName(prefix + "Identity");
      emit(Op.IDENTITY, node, new ArrayList<>(List.of(value.name())), new LinkedHashMap<>(),
          List.of(name));
    }
    graph.addOutput(valueInfo(name, type, dims));
    return new Ref(this, name);
  }

  /** Removes every declared graph output (e.g. an encoder's, before composing a head on it). */
  public void clearOutputs() {
    graph.clearOutput();
  }

  /** Records the type and shape of an intermediate value (helps shape inference and readers). */
  public void valueInfo(Ref value, ElemType type, Dim... dims) {
    graph.addValueInfo(valueInfo(value.name(), type, dims));
  }

  /** Sets one {@code metadata_props} entry (provenance: config, hashes, git SHA). */
  public void metadata(String key, String value) {
    metadata.put(key, value);
  }

  /** The names of the graph's declared outputs, in order. */
  public List<String> outputNames() {
    return graph.getOutputList().stream().map(ValueInfoProto::getName).toList();
  }

  /** The finished model. The builder stays usable; later changes do not touch this proto. */
  public ModelProto toModel() {
    ModelProto.Builder m = base == null ? ModelProto.newBuilder() : base.toBuilder();
    if (base == null) {
      m.addOpsetImport(OperatorSetIdProto.newBuilder().setDomain("").setVersion(opset));
    }
    if (usesContribOps && m.getOpsetImportList().stream()
        .noneMatch(id -> id.getDomain().equals(ContribOp.DOMAIN))) {
      m.addOpsetImport(OperatorSetIdProto.newBuilder().setDomain(ContribOp.DOMAIN)
          .setVersion(ContribOp.VERSION));
    }
    m.setIrVersion(irVersion).setProducerName(PRODUCER).clearProducerVersion();
    m.setGraph(graph.build()).clearMetadataProps();
    metadata.forEach(
        (k, v) -> m.addMetadataProps(StringStringEntryProto.newBuilder().setKey(k).setValue(v)));
    return m.build();
  }

  /** {@code base} if no value has that name yet, else the first free {@code base_1, base_2...}. */
  public String uniqueName(String base) {
    return claimFree(valueNames, base);
  }

  private void emit(
      Op op, String nodeName, List<String> in, Map<String, Object> attrs, List<String> out) {
    checkSupported(op, in, attrs);
    NodeProto.Builder node = NodeProto.newBuilder().setName(nodeName).setOpType(op.onnxName());
    attrs.forEach((k, v) -> node.addAttribute(Attributes.of(k, v)));
    graph.addNode(node.addAllInput(in).addAllOutput(out));
  }

  /** Validates op and attributes against this opset; may rewrite {@code axes} into an input. */
  private void checkSupported(Op op, List<String> in, Map<String, Object> attrs) {
    if (opset < op.since()) {
      throw new ExportException(op.onnxName() + " needs opset >= " + op.since()
          + "; this graph targets opset " + opset);
    }
    for (String key : attrs.keySet()) {
      if (!op.attributes().contains(key)) {
        throw new IllegalArgumentException(
            op.onnxName() + " has no attribute '" + key + "' (has " + op.attributes() + ")");
      }
      if (opset < op.attributeSince(key)) {
        throw new ExportException(op.onnxName() + " attribute '" + key + "' needs opset >= "
            + op.attributeSince(key) + "; this graph targets opset " + opset);
      }
    }
    boolean axesInput = op.axesInputSince() > 0 && opset >= op.axesInputSince();
    if (op.axesInputSince() > 0 && !axesInput && in.size() > op.maxInputs()) {
      throw new ExportException(op.onnxName() + " at opset " + opset
          + " takes axes as an attribute, not an input; pass attribute 'axes'");
    }
    if (axesInput && attrs.containsKey("axes")) {
      if (in.size() > op.maxInputs()) {
        throw new IllegalArgumentException(op.onnxName() + ": axes given as attribute and input");
      }
      long[] axes = Attributes.longs("axes", attrs.remove("axes"));
      in.add(vector(op.onnxName() + "_axes", axes).name());
    }
    int maxIn = op.maxInputs() == Integer.MAX_VALUE ? op.maxInputs()
        : op.maxInputs() + (axesInput ? 1 : 0);
    if (in.size() < op.minInputs() || in.size() > maxIn) {
      throw new IllegalArgumentException(op.onnxName() + " takes " + op.minInputs() + " to "
          + (maxIn == Integer.MAX_VALUE ? "any number of" : maxIn) + " inputs, got " + in.size());
    }
    if (op == Op.SOFTMAX && opset < 13) {
      Object axis = attrs.getOrDefault("axis", -1L);
      if (!(axis instanceof Number n) || n.longValue() != -1) {
        throw new ExportException("Softmax at opset " + opset + " flattens its input to 2-D around"
            + " axis; only axis=-1 means the same as at opset >= 13, got axis=" + axis);
      }
      attrs.put("axis", -1L);
    }
  }

  private Ref addInitializer(TensorProto tensor) {
    graph.addInitializer(tensor);
    return new Ref(this, tensor.getName());
  }

  private void claimExact(String name) {
    if (!valueNames.add(name)) {
      throw new IllegalArgumentException("graph already has a value named '" + name + "'");
    }
  }

  private String uniqueNodeName(String base) {
    return claimFree(nodeNames, base);
  }

  /** Adds and returns {@code base}, or the first of {@code base_1, base_2...} not yet taken. */
  private static String claimFree(Set<String> taken, String base) {
    String name = base;
    for (int i = 1; taken.contains(name); i++) {
      name = base + "_" + i;
    }
    taken.add(name);
    return name;
  }

  private void collectNames(GraphProto g) {
    g.getInputList().forEach(v -> valueNames.add(v.getName()));
    g.getOutputList().forEach(v -> valueNames.add(v.getName()));
    g.getValueInfoList().forEach(v -> valueNames.add(v.getName()));
    g.getInitializerList().forEach(t -> valueNames.add(t.getName()));
    for (NodeProto n : g.getNodeList()) {
      nodeNames.add(n.getName());
      valueNames.addAll(n.getInputList());
      valueNames.addAll(n.getOutputList());
      n.getAttributeList().forEach(a -> {
        if (a.hasG()) {
          collectNames(a.getG());
        }
        a.getGraphsList().forEach(this::collectNames);
      });
    }
  }

  private static ValueInfoProto valueInfo(String name, ElemType type, Dim... dims) {
    TypeProto.Tensor.Builder t = TypeProto.Tensor.newBuilder().setElemType(type.code());
    if (dims.length > 0) {
      TensorShapeProto.Builder shape = TensorShapeProto.newBuilder();
      for (Dim d : dims) {
        shape.addDim(d.toProto());
      }
      t.setShape(shape);
    }
    return ValueInfoProto.newBuilder()
        .setName(name)
        .setType(TypeProto.newBuilder().setTensorType(t))
        .build();
  }

  private static int checkOpset(int opset) {
    if (opset < Op.MIN_OPSET || opset > Op.MAX_OPSET) {
      throw new ExportException("opset " + opset + " is not supported; Distillery writes opsets "
          + Op.MIN_OPSET + " to " + Op.MAX_OPSET);
    }
    return opset;
  }

  private static List<String> domains(ModelProto model) {
    return model.getOpsetImportList().stream()
        .map(id -> (id.getDomain().isEmpty() ? "ai.onnx" : id.getDomain()) + ":" + id.getVersion())
        .toList();
  }
}
