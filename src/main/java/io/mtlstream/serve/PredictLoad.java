package io.mtlstream.serve;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.mtlstream.snapshot.SnapshotCodec;
import io.mtlstream.snapshot.SnapshotManifest;
import io.mtlstream.train.Activation;
import io.mtlstream.train.ModelSpec;
import io.mtlstream.train.TaskSpec;
import io.mtlstream.train.nn.ParameterLayout;
import java.io.IOException;
import java.net.InetAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A bounded load generator for {@code POST /predict} on this machine: N workers send requests with
 * 1-row and 64-row batches (by default) for a fixed time or request count each, then it prints
 * throughput and p50/p99 latency per batch size. Targets must be loopback addresses.
 *
 * <pre>
 * java -cp mtlstream.jar io.mtlstream.serve.PredictLoad [--url http://127.0.0.1:8080]
 *     [--workers 4] [--seconds 10 | --requests N] [--batches 1,64] [--model default]
 *     [--in-process [--inputs 250 --trunk 100,100,100,100 --tasks 2 --outputs 100]]
 * </pre>
 *
 * Each run stops at its time limit or its request count, whichever comes first. {@code
 * --in-process} starts a {@link ServeServer} on 127.0.0.1 with a random model of that shape (the
 * default configuration's) instead of using a running server. A command-line tool: it prints to
 * stdout.
 */
public final class PredictLoad {

  private static final Duration MAX_DURATION = Duration.ofMinutes(10);
  private static final long MAX_REQUESTS = 10_000_000;

  private final HttpClient client;
  private final URI predict;
  private final String model;
  private final int inputs;
  private final int workers;

  PredictLoad(HttpClient client, URI base, String model, int inputs, int workers) {
    this.client = client;
    this.predict = base.resolve("/predict");
    this.model = model;
    this.inputs = inputs;
    this.workers = workers;
  }

  /** What one batch size measured. */
  record Result(int batch, long requests, long errors, double seconds, double p50Ms, double p99Ms) {
    double requestsPerSecond() {
      return requests / seconds;
    }
  }

  public static void main(String[] args) throws Exception {
    Args a = Args.parse(args);
    HttpClient client =
        HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5))
            .build();
    try (InProcess local = a.inProcess ? InProcess.start(a) : null) {
      URI base = local != null ? local.server.baseUri() : URI.create(a.url);
      requireLoopback(base);
      int inputs = inputsOf(client, base, a.model);
      var load = new PredictLoad(client, base, a.model, inputs, a.workers);
      System.out.printf(
          "PredictLoad: %s, model '%s' (%d inputs), %d workers, %s per batch size%n",
          base, a.model, inputs, a.workers, a.requests > 0 ? a.requests + " requests" : a.seconds);
      for (int batch : a.batches) {
        load.run(batch, Duration.ofSeconds(Math.min(2, a.seconds.toSeconds())), 0); // warm-up
        Result r = load.run(batch, a.seconds, a.requests);
        System.out.printf(
            "batch %3d: %8.1f req/s  %9.1f rows/s  p50 %7.2f ms  p99 %7.2f ms  (%d requests, %d"
                + " errors, %.1f s)%n",
            r.batch(),
            r.requestsPerSecond(),
            r.requestsPerSecond() * r.batch(),
            r.p50Ms(),
            r.p99Ms(),
            r.requests(),
            r.errors(),
            r.seconds());
      }
    }
  }

  /**
   * Runs {@code workers} closed-loop workers until {@code duration} passed or, if {@code requests}
   * is positive, until that many requests were sent in total.
   */
  Result run(int batch, Duration duration, long requests) throws Exception {
    List<byte[]> bodies = bodies(batch, 8);
    long deadline = System.nanoTime() + duration.toNanos();
    AtomicLong budget = new AtomicLong(requests > 0 ? requests : Long.MAX_VALUE);
    AtomicLong errors = new AtomicLong();
    ExecutorService pool = Executors.newFixedThreadPool(workers);
    long t0 = System.nanoTime();
    List<Future<long[]>> futures = new ArrayList<>();
    try {
      for (int w = 0; w < workers; w++) {
        int worker = w;
        futures.add(
            pool.submit(
                () -> {
                  long[] latencies = new long[1024];
                  int n = 0;
                  while (System.nanoTime() - deadline < 0 && budget.decrementAndGet() >= 0) {
                    byte[] body = bodies.get((n + worker) % bodies.size());
                    long start = System.nanoTime();
                    int status = send(body);
                    long took = System.nanoTime() - start;
                    if (status != 200) {
                      errors.incrementAndGet();
                    }
                    if (n == latencies.length) {
                      latencies = Arrays.copyOf(latencies, n * 2);
                    }
                    latencies[n++] = took;
                  }
                  return Arrays.copyOf(latencies, n);
                }));
      }
      long[] all = new long[0];
      for (Future<long[]> f : futures) {
        long[] part = f.get();
        long[] merged = Arrays.copyOf(all, all.length + part.length);
        System.arraycopy(part, 0, merged, all.length, part.length);
        all = merged;
      }
      double seconds = (System.nanoTime() - t0) / 1e9;
      Arrays.sort(all);
      return new Result(
          batch, all.length, errors.get(), seconds, percentile(all, 0.50), percentile(all, 0.99));
    } finally {
      pool.shutdownNow();
    }
  }

  private int send(byte[] body) {
    try {
      HttpRequest request =
          HttpRequest.newBuilder(predict)
              .timeout(Duration.ofSeconds(30))
              .header("Content-Type", "application/json")
              .POST(HttpRequest.BodyPublishers.ofByteArray(body))
              .build();
      return client.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
    } catch (IOException e) {
      return -1;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return -1;
    }
  }

  private List<byte[]> bodies(int batch, int variants) {
    SplittableRandom random = new SplittableRandom(batch);
    List<byte[]> out = new ArrayList<>();
    for (int v = 0; v < variants; v++) {
      StringBuilder sb = new StringBuilder("{\"model\":\"").append(model).append("\",\"rows\":[");
      for (int r = 0; r < batch; r++) {
        sb.append(r == 0 ? "[" : ",[");
        for (int i = 0; i < inputs; i++) {
          sb.append(i == 0 ? "" : ",").append((float) random.nextGaussian());
        }
        sb.append(']');
      }
      out.add(sb.append("]}").toString().getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }
    return out;
  }

  private static double percentile(long[] sorted, double q) {
    if (sorted.length == 0) {
      return Double.NaN;
    }
    int i = (int) Math.ceil(q * sorted.length) - 1;
    return sorted[Math.max(0, Math.min(sorted.length - 1, i))] / 1e6;
  }

  private static int inputsOf(HttpClient client, URI base, String model) throws Exception {
    HttpRequest request =
        HttpRequest.newBuilder(base.resolve("/model?model=" + model))
            .timeout(Duration.ofSeconds(10))
            .build();
    HttpResponse<String> response = client.send(request, HttpResponse.BodyHandlers.ofString());
    if (response.statusCode() != 200) {
      throw new IllegalStateException(
          "GET /model answered " + response.statusCode() + ": " + response.body());
    }
    JsonNode json = new ObjectMapper().readTree(response.body());
    return json.get("inputs").asInt();
  }

  static void requireLoopback(URI uri) throws IOException {
    if (uri.getHost() == null || !InetAddress.getByName(uri.getHost()).isLoopbackAddress()) {
      throw new IllegalArgumentException(
          "PredictLoad only targets this machine (a loopback address), not " + uri);
    }
  }

  /** A server with a random model, for measuring without Kafka. */
  private record InProcess(ServeServer server, ServedModel model) implements AutoCloseable {
    static InProcess start(Args a) {
      List<TaskSpec> tasks = new ArrayList<>();
      for (int t = 0; t < a.tasks; t++) {
        tasks.add(TaskSpec.regression("task" + t, a.outputs));
      }
      ModelSpec spec = new ModelSpec(a.inputs, a.trunk, Activation.RELU, tasks);
      float[] params = new float[new ParameterLayout(spec).size()];
      SplittableRandom random = new SplittableRandom(1);
      for (int i = 0; i < params.length; i++) {
        params[i] = (float) (random.nextGaussian() * 0.05);
      }
      SnapshotManifest manifest =
          SnapshotManifest.builder()
              .setModelId(a.model)
              .setModel(spec)
              .setBalancer("gradnorm")
              .setTaskWeights(new double[a.tasks])
              .setStep(1)
              .setCreatedAtMillis(System.currentTimeMillis())
              .build();
      ServedModel model =
          ServedModel.load(
              SnapshotCodec.decode(SnapshotCodec.encode(manifest, params)),
              "cpu",
              System.currentTimeMillis());
      ModelSource source =
          new ModelSource() {
            @Override
            public String defaultModelId() {
              return a.model;
            }

            @Override
            public boolean serves(String id) {
              return id.equals(a.model);
            }

            @Override
            public Optional<ServedModel> current(String id) {
              return serves(id) ? Optional.of(model) : Optional.empty();
            }
          };
      ServeServer.Builder b = ServeServer.builder().setModels(source).optPort(0);
      if (a.threads > 0) {
        b.optThreads(a.threads);
      }
      return new InProcess(b.build().start(), model);
    }

    @Override
    public void close() {
      server.close();
      model.retire();
    }
  }

  /** Command-line arguments, with bounds. */
  private static final class Args {
    String url = "http://127.0.0.1:8080";
    String model = "default";
    int workers = 4;
    Duration seconds = Duration.ofSeconds(10);
    long requests;
    int[] batches = {1, 64};
    boolean inProcess;
    int inputs = 250;
    int[] trunk = {100, 100, 100, 100};
    int tasks = 2;
    int outputs = 100;
    int threads;

    static Args parse(String[] args) {
      Args a = new Args();
      for (int i = 0; i < args.length; i++) {
        String flag = args[i];
        if (flag.equals("--in-process")) {
          a.inProcess = true;
          continue;
        }
        if (i + 1 >= args.length) {
          throw new IllegalArgumentException("missing value after " + flag);
        }
        String v = args[++i];
        switch (flag) {
          case "--url" -> a.url = v;
          case "--model" -> a.model = v;
          case "--workers" -> a.workers = bounded(v, 1, 256, flag);
          case "--seconds" -> a.seconds = Duration.ofSeconds(bounded(v, 1, 600, flag));
          case "--requests" -> a.requests = bounded(v, 1, MAX_REQUESTS, flag);
          case "--batches" -> a.batches = ints(v, flag);
          case "--inputs" -> a.inputs = bounded(v, 1, 100_000, flag);
          case "--trunk" -> a.trunk = ints(v, flag);
          case "--tasks" -> a.tasks = bounded(v, 1, 64, flag);
          case "--outputs" -> a.outputs = bounded(v, 1, 10_000, flag);
          case "--threads" -> a.threads = bounded(v, 1, 256, flag);
          default -> throw new IllegalArgumentException("unknown option " + flag);
        }
      }
      if (a.seconds.compareTo(MAX_DURATION) > 0) {
        throw new IllegalArgumentException("--seconds is at most " + MAX_DURATION.toSeconds());
      }
      return a;
    }

    private static int[] ints(String v, String flag) {
      return Arrays.stream(v.split(",")).mapToInt(s -> bounded(s.trim(), 1, 4096, flag)).toArray();
    }

    private static int bounded(String v, long min, long max, String flag) {
      long n = Long.parseLong(v);
      if (n < min || n > max) {
        throw new IllegalArgumentException(flag + " must be in [" + min + ", " + max + "]");
      }
      return (int) n;
    }
  }
}
