import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;

/**
 * Run at image build time (java -cp mtlstream.jar WarmDjl.java, with DJL_CACHE_DIR set): loads the
 * PyTorch engine once so DJL extracts the bundled CPU natives (~450 MB) into the cache dir. The
 * runtime image then ships that dir read-only, so containers neither extract on every start nor
 * need a writable cache (readOnlyRootFilesystem works).
 */
public final class WarmDjl {

  public static void main(String[] args) {
    Engine engine = Engine.getEngine("PyTorch");
    try (NDManager manager = engine.newBaseManager();
        NDArray sum = manager.ones(new Shape(2, 2)).sum()) {
      if (sum.getFloat() != 4f) {
        throw new IllegalStateException("PyTorch natives loaded but compute 1+1+1+1 = " + sum);
      }
    }
    System.out.println(
        "DJL " + engine.getEngineName() + " " + engine.getVersion() + ": natives cached");
  }
}
