package io.mtlstream.stream;

import io.mtlstream.event.EventSchema;
import io.mtlstream.event.TaskSchema;
import io.mtlstream.train.ModelSpec;
import io.mtlstream.train.TaskSpec;
import java.util.Collection;

/**
 * Derives the event validation schema from the model spec, so the two can never disagree: the event
 * layer validates exactly what the learner can train on.
 */
public final class Schemas {

  private Schemas() {}

  public static EventSchema eventSchema(
      ModelSpec spec, Collection<String> models, int maxRecordBytes) {
    EventSchema.Builder b =
        EventSchema.builder()
            .setFeatures(spec.inputs())
            .optModels(models)
            .optMaxRecordBytes(maxRecordBytes);
    for (TaskSpec t : spec.tasks()) {
      b.addTask(
          switch (t.type()) {
            case REGRESSION -> TaskSchema.regression(t.name(), t.outputs());
            case BINARY -> TaskSchema.binary(t.name());
            case MULTICLASS -> TaskSchema.multiclass(t.name(), t.outputs());
          });
    }
    return b.build();
  }
}
