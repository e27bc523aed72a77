package io.fedsecure.superlink.run;

import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.protobuf.ByteString;
import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.fedsecure.crypto.auth.RequestSigner;
import io.fedsecure.crypto.auth.RequestVerifier;
import io.fedsecure.crypto.envelope.Direction;
import io.fedsecure.crypto.envelope.EnvelopeCipher;
import io.fedsecure.crypto.envelope.EnvelopeContext;
import io.fedsecure.crypto.envelope.MessageKind;
import io.fedsecure.crypto.envelope.WeightKey;
import io.fedsecure.crypto.keys.EcKeys;
import io.fedsecure.crypto.keys.KeyFileException;
import io.fedsecure.proto.ConfigValue;
import io.fedsecure.proto.PayloadChunk;
import io.fedsecure.proto.TaskKind;
import io.fedsecure.proto.fleet.FleetGrpc;
import io.fedsecure.proto.fleet.Instruction;
import io.fedsecure.proto.fleet.InstructionFrame;
import io.fedsecure.proto.fleet.PullInstructionsRequest;
import io.fedsecure.proto.fleet.PushReplyResponse;
import io.fedsecure.proto.fleet.ReplyFrame;
import io.fedsecure.proto.fleet.ReplyHeader;
import io.fedsecure.protocol.framing.PayloadChunks;
import io.fedsecure.protocol.safetensors.Safetensors;
import io.fedsecure.protocol.weights.NamedTensor;
import io.fedsecure.protocol.weights.TensorLayout;
import io.fedsecure.protocol.weights.TensorSpec;
import io.fedsecure.protocol.weights.WeightsCodec;
import io.fedsecure.superlink.auth.AuthFailureMetrics;
import io.fedsecure.superlink.auth.NodeAuthInterceptor;
import io.fedsecure.superlink.auth.RegisteredKeyCache;
import io.fedsecure.superlink.config.SuperLinkProperties;
import io.fedsecure.superlink.fleet.FleetService;
import io.fedsecure.superlink.fleet.NodeStreams;
import io.fedsecure.superlink.liveness.NodePresence;
import io.fedsecure.superlink.model.NetLayout;
import io.fedsecure.superlink.registry.JdbcNodeRegistry;
import io.fedsecure.superlink.support.SigningInterceptor;
import io.grpc.ManagedChannel;
import io.grpc.Server;
import io.grpc.Status;
import io.grpc.inprocess.InProcessChannelBuilder;
import io.grpc.inprocess.InProcessServerBuilder;
import io.grpc.stub.ClientCallStreamObserver;
import io.grpc.stub.ClientResponseObserver;
import io.grpc.stub.StreamObserver;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.ByteArrayOutputStream;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.flywaydb.core.Flyway;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.util.unit.DataSize;
import org.sqlite.SQLiteConfig;
import org.sqlite.SQLiteDataSource;

/**
 * A SuperLink run engine with real storage (SQLite + the migrations), the real Fleet service and
 * node authentication on an in-process gRPC server, real encryption, and test code playing the
 * SuperNodes: each fake node signs its calls, opens its instruction stream, decrypts what it gets
 * with its own key and pushes its replies through PushReply, honestly or as its behaviour says.
 */
final class FakeFederation implements AutoCloseable {

  static final TensorLayout LAYOUT = NetLayout.LAYOUT;

  final Path dir;
  final HikariDataSource dataSource;
  final RunRepository repository;
  final RunLog runLog;
  final NodeStreams streams;
  final RunEngine engine;
  final RunEngine.Setup setup;
  final EnvelopeCipher cipher = new EnvelopeCipher();
  final Map<String, WeightKey> keys = new ConcurrentHashMap<>();
  final List<FakeNode> nodes = new CopyOnWriteArrayList<>();
  private final JdbcTemplate jdbc;
  private final int chunkBytes;
  private final Server server;
  private final ManagedChannel channel;
  private final ExecutorService nodeThreads = Executors.newCachedThreadPool();
  private final SecureRandom random = new SecureRandom();

  private final DataSize lowMemoryFrom;

  FakeFederation(Path dir, int chunkBytes) throws Exception {
    this(dir, chunkBytes, DataSize.ofMegabytes(16));
  }

  /**
   * @param lowMemoryFrom the engine's low-memory threshold (see RunSettings); 1 byte forces it on
   */
  FakeFederation(Path dir, int chunkBytes, DataSize lowMemoryFrom) throws Exception {
    this.dir = dir;
    this.chunkBytes = chunkBytes;
    this.lowMemoryFrom = lowMemoryFrom;
    SQLiteConfig sqlite = new SQLiteConfig();
    sqlite.setBusyTimeout(5_000);
    SQLiteDataSource sqliteDataSource = new SQLiteDataSource(sqlite);
    sqliteDataSource.setUrl("jdbc:sqlite:" + dir.resolve("superlink.db"));
    HikariConfig pool = new HikariConfig();
    pool.setDataSource(sqliteDataSource);
    pool.setMaximumPoolSize(1);
    dataSource = new HikariDataSource(pool);
    Flyway.configure().dataSource(dataSource).locations("classpath:db/migration").load().migrate();

    jdbc = new JdbcTemplate(dataSource);
    repository = new RunRepository(jdbc, new ObjectMapper());
    Clock clock = Clock.systemUTC();
    runLog = new RunLog(repository, clock);
    streams = new NodeStreams(chunkBytes);
    JdbcNodeRegistry registry = new JdbcNodeRegistry(jdbc, clock, event -> {});
    NodeEligibility eligibility =
        new NodeEligibility(
            registry,
            streams,
            name -> {
              WeightKey key = keys.get(name);
              if (key == null) {
                throw new KeyFileException("no key file for " + name);
              }
              return key;
            },
            runLog,
            clock);
    setup =
        new RunEngine.Setup(
            engineSettings(), LAYOUT, cipher, new Safetensors(new ObjectMapper()), clock);
    engine = new RunEngine(repository, runLog, eligibility, streams, setup);

    FleetService fleet = new FleetService(streams, new NodePresence(registry), 1.0, 64L << 20);
    NodeAuthInterceptor auth =
        new NodeAuthInterceptor(
            new RegisteredKeyCache(registry),
            new RequestVerifier(clock, Duration.ofSeconds(30), Duration.ofSeconds(30), 100_000),
            false,
            new AuthFailureMetrics(new SimpleMeterRegistry()),
            NodeAuthInterceptor.CallLimits.of(
                clock,
                new SuperLinkProperties.NodeAuth(
                    Duration.ofSeconds(30),
                    Duration.ofSeconds(30),
                    100_000,
                    1000,
                    1000,
                    1000,
                    Duration.ofSeconds(10)),
                32));
    String serverName = InProcessServerBuilder.generateName();
    server =
        InProcessServerBuilder.forName(serverName).addService(auth.protect(fleet)).build().start();
    channel = InProcessChannelBuilder.forName(serverName).build();
  }

  /**
   * Registers a node with a fresh identity and weight key (ids count up from 1001, so that the
   * engine's node-id order is the order nodes were added) and opens its instruction stream.
   */
  FakeNode addNode(String name, long numExamples, float delta, Behavior behavior) {
    FakeNode node = new FakeNode(1000 + nodes.size() + 1, name, numExamples, delta, behavior);
    keys.put(name, node.key);
    jdbc.update(
        "INSERT INTO nodes (node_id, name, public_key, fingerprint, status, registered_at, owner)"
            + " VALUES (?, ?, ?, ?, 'REGISTERED', ?, 'test')",
        node.id,
        name,
        node.identity.getPublic().getEncoded(),
        EcKeys.fingerprint(node.identity.getPublic()),
        Instant.now().toEpochMilli());
    nodes.add(node);
    node.connect();
    await().atMost(Duration.ofSeconds(5)).until(() -> streams.hasStream(node.id));
    return node;
  }

  long createRun(Map<String, ConfigValue> overrides) throws InvalidRunConfigException {
    return repository.create(
        RunConfig.parse(overrides, engineSettings()).storedMap(), Instant.now());
  }

  RunEngine.RunOutcome execute(long runId) throws Exception {
    RunConfig config =
        RunConfig.parse(repository.find(runId).orElseThrow().config(), engineSettings());
    return engine.execute(runId, config);
  }

  List<String> logLines(long runId) {
    return repository.logAfter(runId, 0, 10_000).stream().map(e -> e.getText()).toList();
  }

  private RunSettings engineSettings() {
    return new RunSettings(
        dir.resolve("runs"),
        Duration.ofSeconds(600),
        Duration.ofSeconds(5),
        Duration.ofMillis(200),
        1_000_000_000L,
        lowMemoryFrom);
  }

  @Override
  public void close() throws Exception {
    channel.shutdownNow();
    server.shutdownNow();
    nodeThreads.shutdownNow();
    channel.awaitTermination(5, TimeUnit.SECONDS);
    server.awaitTermination(5, TimeUnit.SECONDS);
    dataSource.close();
  }

  static ConfigValue i(long v) {
    return ConfigValue.newBuilder().setIntValue(v).build();
  }

  static ConfigValue d(double v) {
    return ConfigValue.newBuilder().setDoubleValue(v).build();
  }

  static TensorLayout layoutOf(io.fedsecure.proto.TensorLayout proto) {
    return new TensorLayout(
        proto.getTensorsList().stream()
            .map(
                t ->
                    new TensorSpec(
                        t.getName(),
                        t.getShapeList().stream().mapToLong(Long::longValue).toArray(),
                        t.getDtype()))
            .toList());
  }

  static List<NamedTensor> plus(List<NamedTensor> model, float delta) {
    List<NamedTensor> out = new ArrayList<>();
    for (NamedTensor t : model) {
      float[] data = t.data().clone();
      for (int i = 0; i < data.length; i++) {
        data[i] += delta;
      }
      out.add(new NamedTensor(t.spec(), data));
    }
    return out;
  }

  /** What a fake node does with an instruction it received and decrypted. */
  @FunctionalInterface
  interface Behavior {
    void onInstruction(FakeNode node, Instruction instruction, List<NamedTensor> model)
        throws Exception;
  }

  static final Behavior HONEST = FakeNode::replyHonestly;

  record Received(Instruction instruction, List<NamedTensor> model) {}

  final class FakeNode {
    final long id;
    final String name;
    final WeightKey key;
    final KeyPair identity;
    final long numExamples;
    final float delta;
    volatile Behavior behavior;
    final List<Received> received = new CopyOnWriteArrayList<>();
    final List<PushReplyResponse> responses = new CopyOnWriteArrayList<>();
    final List<Throwable> errors = new CopyOnWriteArrayList<>();
    private final FleetGrpc.FleetStub fleet;
    private volatile ClientCallStreamObserver<PullInstructionsRequest> call;

    /** A node with a fresh weight key and identity key pair. */
    FakeNode(long id, String name, long numExamples, float delta, Behavior behavior) {
      this.id = id;
      this.name = name;
      byte[] raw = new byte[32];
      random.nextBytes(raw);
      this.key = WeightKey.fromBytes(raw);
      this.identity = EcKeys.generateP384();
      this.fleet =
          FleetGrpc.newStub(channel)
              .withInterceptors(
                  new SigningInterceptor(new RequestSigner(identity, Clock.systemUTC())));
      this.numExamples = numExamples;
      this.delta = delta;
      this.behavior = behavior;
    }

    void connect() {
      fleet.pullInstructions(
          PullInstructionsRequest.newBuilder().setNodeId(id).build(),
          new ClientResponseObserver<PullInstructionsRequest, InstructionFrame>() {
            private Instruction current;
            private ByteArrayOutputStream payload;
            private int nextIndex;

            @Override
            public void beforeStart(
                ClientCallStreamObserver<PullInstructionsRequest> requestStream) {
              call = requestStream;
            }

            @Override
            public void onNext(InstructionFrame frame) {
              if (frame.hasInstruction()) {
                current = frame.getInstruction();
                payload = new ByteArrayOutputStream();
                nextIndex = 0;
                return;
              }
              if (frame.getChunk().getIndex() != nextIndex++
                  || frame.getChunk().getData().size() > PayloadChunks.MAX_CHUNK_BYTES) {
                errors.add(new AssertionError("chunk out of order or too large"));
              }
              payload.writeBytes(frame.getChunk().getData().toByteArray());
              if (frame.getChunk().getLast()) {
                Instruction instruction = current;
                byte[] envelope = payload.toByteArray();
                nodeThreads.execute(() -> handle(instruction, envelope));
              }
            }

            @Override
            public void onError(Throwable t) {}

            @Override
            public void onCompleted() {}
          });
    }

    /** The node dies: its instruction stream is cancelled from its side. */
    void cancelStream() {
      call.cancel("node process died", null);
    }

    private void handle(Instruction instruction, byte[] envelope) {
      try {
        if (instruction.getPayloadSize() != envelope.length) {
          throw new AssertionError(
              "payload_size " + instruction.getPayloadSize() + " but got " + envelope.length);
        }
        TensorLayout layout = layoutOf(instruction.getLayout());
        byte[] plaintext =
            cipher.open(
                key,
                context(instruction, Direction.SUPERLINK_TO_NODE, instruction.getKind()),
                envelope);
        List<NamedTensor> model = WeightsCodec.decode(plaintext, layout);
        received.add(new Received(instruction, model));
        behavior.onInstruction(this, instruction, model);
      } catch (Throwable t) {
        errors.add(t);
      }
    }

    EnvelopeContext context(Instruction instruction, Direction direction, TaskKind kind) {
      return new EnvelopeContext(
          instruction.getRunId(),
          instruction.getRound(),
          id,
          direction,
          kind == TaskKind.TASK_KIND_TRAIN ? MessageKind.TRAIN : MessageKind.EVALUATE,
          layoutOf(instruction.getLayout()).digest());
    }

    void replyHonestly(Instruction instruction, List<NamedTensor> model) {
      if (instruction.getKind() == TaskKind.TASK_KIND_TRAIN) {
        byte[] update = sealUpdate(instruction, plus(model, delta));
        push(trainHeader(instruction, update.length), update);
      } else {
        push(evalHeader(instruction), new byte[0]);
      }
    }

    byte[] sealUpdate(Instruction instruction, List<NamedTensor> weights) {
      return cipher.seal(
          key,
          context(instruction, Direction.NODE_TO_SUPERLINK, TaskKind.TASK_KIND_TRAIN),
          WeightsCodec.encode(weights));
    }

    ReplyHeader trainHeader(Instruction instruction, int payloadSize) {
      return ReplyHeader.newBuilder()
          .setInstructionId(instruction.getInstructionId())
          .setNodeId(id)
          .setRunId(instruction.getRunId())
          .setRound(instruction.getRound())
          .setKind(instruction.getKind())
          .setNumExamples(numExamples)
          .putMetrics("train_loss", 2.0 + delta)
          .putMetrics("local_seconds", 0.5 + Math.abs(delta))
          .setPayloadSize(payloadSize)
          .build();
    }

    ReplyHeader evalHeader(Instruction instruction) {
      return ReplyHeader.newBuilder()
          .setInstructionId(instruction.getInstructionId())
          .setNodeId(id)
          .setRunId(instruction.getRunId())
          .setRound(instruction.getRound())
          .setKind(instruction.getKind())
          .setNumExamples(numExamples)
          .putMetrics("eval_loss", 1.0 + delta)
          .putMetrics("eval_accuracy", 0.5)
          .putMetrics("local_seconds", 0.25)
          .build();
    }

    /**
     * Pushes the reply as a SuperNode does: the header, then the payload in chunks; waits for the
     * verdict.
     */
    PushReplyResponse push(ReplyHeader header, byte[] payload) {
      CompletableFuture<PushReplyResponse> verdict = new CompletableFuture<>();
      StreamObserver<ReplyFrame> frames =
          fleet.pushReply(
              new StreamObserver<>() {
                @Override
                public void onNext(PushReplyResponse value) {
                  verdict.complete(value);
                }

                @Override
                public void onError(Throwable t) {
                  verdict.completeExceptionally(t);
                }

                @Override
                public void onCompleted() {}
              });
      frames.onNext(ReplyFrame.newBuilder().setHeader(header).build());
      int index = 0;
      for (int offset = 0; offset < payload.length; offset += chunkBytes) {
        int length = Math.min(chunkBytes, payload.length - offset);
        frames.onNext(
            ReplyFrame.newBuilder()
                .setChunk(
                    PayloadChunk.newBuilder()
                        .setIndex(index++)
                        .setData(ByteString.copyFrom(payload, offset, length))
                        .setLast(offset + length == payload.length))
                .build());
      }
      frames.onCompleted();
      PushReplyResponse response;
      try {
        response = verdict.get(30, TimeUnit.SECONDS);
      } catch (ExecutionException e) {
        errors.add(e.getCause());
        response =
            PushReplyResponse.newBuilder()
                .setReason("call failed: " + Status.fromThrowable(e.getCause()))
                .build();
      } catch (Exception e) {
        throw new AssertionError("no verdict on the reply", e);
      }
      responses.add(response);
      return response;
    }
  }
}
