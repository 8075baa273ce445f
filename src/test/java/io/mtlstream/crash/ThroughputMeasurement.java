package io.mtlstream.crash;

import io.mtlstream.runtime.config.MtlKeys;
import java.nio.file.Path;
import java.util.Map;

/** exactly_once_v2 against at_least_once on the same input; see {@link RecoveryMeasurements}. */
final class ThroughputMeasurement {

  private static final int STEPS = 120;

  private ThroughputMeasurement() {}

  static void run(String bootstrap, Path work) {
    ToyInput input = ToyInput.of("default", 5, STEPS * CrashSettings.BATCH, 0);
    boolean sent = false;
    for (String trunk : new String[] {"100,100,100,100", "1024,1024"}) {
      for (String guarantee : new String[] {"exactly_once_v2", "at_least_once"}) {
        String runId = "tp-" + guarantee.replace('_', '-') + "-" + trunk.replace(',', 'x');
        Map<String, String> s = CrashSettings.of(bootstrap, runId, work.resolve(runId));
        s.put("processing.guarantee", guarantee);
        s.put(MtlKeys.MODEL_TRUNK.key(), trunk);
        s.put(MtlKeys.SNAPSHOT_EVERY.key(), Integer.toString(STEPS));
        s.put(MtlKeys.REPORT_EVERY.key(), "10");
        s.put(MtlKeys.CHECKPOINT_EVERY.key(), "10");
        CrashSettings.provision(s);
        if (!sent) {
          input.sendAll(bootstrap);
          sent = true;
        }
        Runs.Result r =
            Runs.uninterrupted(work, s, "default", STEPS, RecoveryMeasurements.timeout());
        System.out.printf(
            "[measure] %-16s trunk %-16s: %6d ms from process start to step %d;"
                + " %7.0f events/s from step 10 to %d%n",
            guarantee,
            trunk,
            r.millis(),
            STEPS,
            RecoveryMeasurements.eventsPerSecond(r.reports()),
            STEPS);
      }
    }
  }
}
