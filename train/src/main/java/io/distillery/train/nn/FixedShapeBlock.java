package io.distillery.train.nn;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Block;

/**
 * A block whose parameters, and its children's, all have shapes fixed at construction, so every
 * child initialises from the block's own input shapes. The output shape defaults to the first
 * input's (the shape-preserving layers); a block that changes it overrides
 * {@link #getOutputShapes}.
 */
public abstract class FixedShapeBlock extends AbstractBlock {
  @Override
  protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
    for (Block child : getChildren().values()) {
      child.initialize(manager, dataType, inputShapes); // every parameter has a fixed shape
    }
  }

  @Override
  public Shape[] getOutputShapes(Shape[] inputShapes) {
    return new Shape[] {inputShapes[0]};
  }
}
