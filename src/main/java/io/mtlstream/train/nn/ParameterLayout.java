package io.mtlstream.train.nn;

import io.mtlstream.train.ModelSpec;
import io.mtlstream.train.TaskSpec;
import java.util.ArrayList;
import java.util.List;

/**
 * Where every layer's weight and bias lives inside the one flat parameter vector.
 *
 * <p>The network keeps all parameters in a single contiguous buffer — trunk first, then each task's
 * tower — so that the optimizer, gradient clipping, zeroing and serialisation each touch one array
 * instead of dozens. Segment 0 is the trunk, segment 1 + i is task i's tower; segments are
 * contiguous ranges, which lets a step update only the towers of tasks present in the batch.
 * Immutable and thread-safe.
 */
public final class ParameterLayout {

  /** A fully connected layer: weight {@code [out, in]} at {@code weightOffset}, then bias. */
  public record Dense(int in, int out, long weightOffset) {
    public long biasOffset() {
      return weightOffset + (long) in * out;
    }

    public long end() {
      return biasOffset() + out;
    }
  }

  /** A contiguous range of the flat vector. */
  public record Segment(long start, long end) {
    public long size() {
      return end - start;
    }
  }

  private final List<Dense> trunk;
  private final List<List<Dense>> towers;
  private final List<Segment> segments;
  private final long size;

  public ParameterLayout(ModelSpec spec) {
    long offset = 0;
    var trunkLayers = new ArrayList<Dense>();
    int in = spec.inputs();
    for (int width : spec.trunkWidths()) {
      Dense d = new Dense(in, width, offset);
      trunkLayers.add(d);
      offset = d.end();
      in = width;
    }
    var segs = new ArrayList<Segment>();
    segs.add(new Segment(0, offset));
    var towerLayers = new ArrayList<List<Dense>>();
    for (TaskSpec task : spec.tasks()) {
      long start = offset;
      var layers = new ArrayList<Dense>();
      int tin = spec.sharedWidth();
      for (int width : task.towerWidths()) {
        Dense d = new Dense(tin, width, offset);
        layers.add(d);
        offset = d.end();
        tin = width;
      }
      Dense head = new Dense(tin, task.outputs(), offset);
      layers.add(head);
      offset = head.end();
      towerLayers.add(List.copyOf(layers));
      segs.add(new Segment(start, offset));
    }
    if (offset > Integer.MAX_VALUE) {
      throw new IllegalArgumentException(
          "model has " + offset + " parameters; at most " + Integer.MAX_VALUE + " are supported");
    }
    this.trunk = List.copyOf(trunkLayers);
    this.towers = List.copyOf(towerLayers);
    this.segments = List.copyOf(segs);
    this.size = offset;
  }

  public List<Dense> trunk() {
    return trunk;
  }

  /** The last trunk layer, whose weight is GradNorm's W. */
  public Dense sharedLayer() {
    return trunk.get(trunk.size() - 1);
  }

  public List<Dense> tower(int task) {
    return towers.get(task);
  }

  public Segment trunkSegment() {
    return segments.get(0);
  }

  public Segment towerSegment(int task) {
    return segments.get(task + 1);
  }

  public int segmentCount() {
    return segments.size();
  }

  public Segment segment(int index) {
    return segments.get(index);
  }

  /** Total parameter count. */
  public int size() {
    return (int) size;
  }
}
