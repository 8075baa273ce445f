package io.mtlstream.train.nn;

import ai.djl.Device;
import ai.djl.engine.Engine;
import java.util.Locale;

/**
 * Resolves {@code mtl.device} values: {@code auto} (the first GPU when the engine sees one, else
 * the CPU), {@code cpu}, {@code gpu} or {@code gpu:N}. GPU natives are used only where the
 * environment provides them (a CUDA build of libtorch); asking for a GPU that is not there fails
 * with a message saying what was found.
 */
public final class Devices {

  private Devices() {}

  public static Device select(String text) {
    String value = text == null ? "auto" : text.trim().toLowerCase(Locale.ROOT);
    if (value.equals("cpu")) {
      return Device.cpu();
    }
    int gpus = Engine.getInstance().getGpuCount();
    if (value.equals("auto")) {
      return gpus > 0 ? Device.gpu(0) : Device.cpu();
    }
    if (value.equals("gpu") || value.startsWith("gpu:")) {
      int id = value.equals("gpu") ? 0 : parseId(value.substring(4), text);
      if (id >= gpus) {
        throw new IllegalArgumentException(
            "device '"
                + text
                + "' requested but the engine sees "
                + gpus
                + " GPU(s)"
                + " (CPU-only natives, or no CUDA device); use 'cpu' or 'auto'");
      }
      return Device.gpu(id);
    }
    throw new IllegalArgumentException(
        "unknown device '" + text + "': expected auto, cpu, gpu or gpu:N");
  }

  private static int parseId(String id, String text) {
    try {
      int n = Integer.parseInt(id);
      if (n >= 0) {
        return n;
      }
    } catch (NumberFormatException e) {
      // fall through to the message below
    }
    throw new IllegalArgumentException("bad GPU index in device '" + text + "'");
  }
}
