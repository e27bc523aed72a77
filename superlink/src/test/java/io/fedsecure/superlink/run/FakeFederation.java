package io.fedsecure.superlink.run;

import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.fedsecure.crypto.envelope.Direction;
import io.fedsecure.crypto.envelope.EnvelopeCipher;
import io.fedsecure.crypto.envelope.EnvelopeContext;
import io.fedsecure.crypto.envelope.MessageKind;
import io.fedsecure.crypto.envelope.WeightKey;
import io.fedsecure.crypto.keys.KeyFileException;
import io.fedsecure.protocol.weights.NamedTensor;
import io.fedsecure.protocol.weights.TensorLayout;
import io.fedsecure.protocol.weights.TensorSpec;
import io.fedsecure.protocol.weights.WeightsCodec;
import io.fedsecure.proto.ConfigValue;
import io.fedsecure.proto.TaskKind;
import io.fedsecure.proto.fleet.FleetGrpc;
import io.fedsecure.proto.fleet.Instruction;
import io.fedsecure.proto.fleet.InstructionFrame;
import io.fedsecure.proto.fleet.PullInstructionsRequest;
import io.fedsecure.proto.fleet.PushReplyResponse;
import io.fedsecure.proto.fleet.ReplyHeader;
import io.fedsecure.superlink.auth.AuthenticatedNode;
import io.fedsecure.superlink.dispatch.StreamDispatcher;
import io.fedsecure.superlink.model.NetLayout;
import io.fedsecure.protocol.safetensors.Safetensors;
import io.fedsecure.superlink.registry.NodeRegistry;
import io.fedsecure.superlink.registry.NodeStatus;
import io.fedsecure.superlink.registry.RegisteredNode;
import io.grpc.ManagedChannel;
import io.grpc.Server;
import io.grpc.inprocess.InProcessChannelBuilder;
import io.grpc.inprocess.InProcessServerBuilder;
import io.grpc.stub.ClientCallStreamObserver;
import io.grpc.stub.ClientResponseObserver;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;
import java.io.ByteArrayOutputStream;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.flywaydb.core.Flyway;
import org.springframework.jdbc.core.JdbcTemplate;
import org.sqlite.SQLiteConfig;
import org.sqlite.SQLiteDataSource;
import org.springframework.util.unit.DataSize;

/**
 * A SuperLink run engine with real storage (SQLite + the migrations), real dispatch over
 * in-process gRPC streams, real encryption, and test code playing the SuperNodes: each fake node
 * opens its instruction stream, decrypts what it gets with its own key and answers through the
 * broker as the Fleet service would, honestly or as its behaviour says.
 */
final class FakeFederation implements AutoCloseable {

  static final TensorLayout LAYOUT = NetLayout.LAYOUT;

  final Path dir;
  final HikariDataSource dataSource;
  final RunRepository repository;
  final RunLog runLog;
  final StreamDispatcher dispatcher;
  final RunEngine engine;
  final EnvelopeCipher cipher = new EnvelopeCipher();
  final Map<Long, RegisteredNode> registry = new ConcurrentHashMap<>();
  final Map<String, WeightKey> keys = new ConcurrentHashMap<>();
  final List<FakeNode> nodes = new CopyOnWriteArrayList<>();
  private final Server server;
  private final ManagedChannel channel;
  private final ExecutorService nodeThreads = Executors.newCachedThreadPool();
  private final SecureRandom random = new SecureRandom();

  private final DataSize lowMemoryFrom;

  FakeFederation(Path dir, int chunkBytes) throws Exception {
    this(dir, chunkBytes, DataSize.ofMegabytes(16));
  }

  /** @param lowMemoryFrom the engine's low-memory threshold (see RunSettings); 1 byte forces it on */
  FakeFederation(Path dir, int chunkBytes, DataSize lowMemoryFrom) throws Exception {
    this.dir = dir;
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

    repository = new RunRepository(new JdbcTemplate(dataSource), new ObjectMapper());
    Clock clock = Clock.systemUTC();
    runLog = new RunLog(repository, clock);
    dispatcher = new StreamDispatcher(chunkBytes);
    NodeRegistry nodeRegistry =
        new NodeRegistry() {
          @Override
          public List<RegisteredNode> list() {
            return List.copyOf(registry.values());
          }

          @Override
          public Optional<RegisteredNode> find(long nodeId) {
            return Optional.ofNullable(registry.get(nodeId));
          }

          @Override
          public List<RegisteredNode> online() {
            return registry.values().stream().filter(n -> n.status() == NodeStatus.ONLINE).toList();
          }
        };
    RunSettings settings =
        new RunSettings(dir.resolve("runs"), Duration.ofSeconds(600), Duration.ofSeconds(5), Duration.ofMillis(200), 1_000_000_000L, lowMemoryFrom);
    engine =
        new RunEngine(
            repository, runLog, nodeRegistry, dispatcher,
            name -> {
              WeightKey key = keys.get(name);
              if (key == null) {
                throw new KeyFileException("no key file for " + name);
              }
              return key;
            },
            cipher, new Safetensors(new ObjectMapper()), clock, settings, LAYOUT);

    String serverName = InProcessServerBuilder.generateName();
    server = InProcessServerBuilder.forName(serverName).addService(new TestFleet()).build().start();
    channel = InProcessChannelBuilder.forName(serverName).build();
  }

  /** What the Fleet service does for PullInstructions, minus authentication. */
  private final class TestFleet extends FleetGrpc.FleetImplBase {
    @Override
    public void pullInstructions(PullInstructionsRequest request, StreamObserver<InstructionFrame> responseObserver) {
      RegisteredNode node = registry.get(request.getNodeId());
      dispatcher.openStream(
          new AuthenticatedNode(node.nodeId(), node.name()), (ServerCallStreamObserver<InstructionFrame>) responseObserver);
    }
  }

  /** Registers an online node with a fresh key and opens its instruction stream. */
  FakeNode addNode(String name, long numExamples, float delta, Behavior behavior) {
    long id = 1000 + nodes.size() + 1;
    byte[] raw = new byte[32];
    random.nextBytes(raw);
    WeightKey key = WeightKey.fromBytes(raw);
    keys.put(name, key);
    registry.put(id, new RegisteredNode(id, name, NodeStatus.ONLINE, "SHA256:test", Instant.now(), Instant.now(), "test"));
    FakeNode node = new FakeNode(id, name, key, numExamples, delta, behavior);
    nodes.add(node);
    node.connect();
    await().atMost(Duration.ofSeconds(5)).until(() -> dispatcher.hasStream(id));
    return node;
  }

  long createRun(Map<String, ConfigValue> overrides) throws InvalidRunConfigException {
    return repository.create(RunConfig.parse(overrides, engineSettings()).storedMap(), Instant.now());
  }

  RunEngine.RunOutcome execute(long runId) throws Exception {
    RunConfig config = RunConfig.parse(repository.find(runId).orElseThrow().config(), engineSettings());
    return engine.execute(runId, config);
  }

  List<String> logLines(long runId) {
    return repository.logAfter(runId, 0, 10_000).stream().map(e -> e.getText()).toList();
  }

  private RunSettings engineSettings() {
    return new RunSettings(dir.resolve("runs"), Duration.ofSeconds(600), Duration.ofSeconds(5), Duration.ofMillis(200), 1_000_000_000L, lowMemoryFrom);
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
            .map(t -> new TensorSpec(t.getName(), t.getShapeList().stream().mapToLong(Long::longValue).toArray(), t.getDtype()))
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
    void onInstruction(FakeNode node, Instruction instruction, List<NamedTensor> model) throws Exception;
  }

  static final Behavior HONEST = FakeNode::replyHonestly;

  record Received(Instruction instruction, List<NamedTensor> model) {}

  final class FakeNode {
    final long id;
    final String name;
    final WeightKey key;
    final long numExamples;
    final float delta;
    volatile Behavior behavior;
    final List<Received> received = new CopyOnWriteArrayList<>();
    final List<PushReplyResponse> responses = new CopyOnWriteArrayList<>();
    final List<Throwable> errors = new CopyOnWriteArrayList<>();
    private volatile ClientCallStreamObserver<PullInstructionsRequest> call;

    FakeNode(long id, String name, WeightKey key, long numExamples, float delta, Behavior behavior) {
      this.id = id;
      this.name = name;
      this.key = key;
      this.numExamples = numExamples;
      this.delta = delta;
      this.behavior = behavior;
    }

    void connect() {
      FleetGrpc.newStub(channel)
          .pullInstructions(
              PullInstructionsRequest.newBuilder().setNodeId(id).build(),
              new ClientResponseObserver<PullInstructionsRequest, InstructionFrame>() {
                private Instruction current;
                private ByteArrayOutputStream payload;
                private int nextIndex;

                @Override
                public void beforeStart(ClientCallStreamObserver<PullInstructionsRequest> requestStream) {
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
                  if (frame.getChunk().getIndex() != nextIndex++ || frame.getChunk().getData().size() > StreamDispatcher.MAX_CHUNK_BYTES) {
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
          throw new AssertionError("payload_size " + instruction.getPayloadSize() + " but got " + envelope.length);
        }
        TensorLayout layout = layoutOf(instruction.getLayout());
        byte[] plaintext = cipher.open(key, context(instruction, Direction.SUPERLINK_TO_NODE, instruction.getKind()), envelope);
        List<NamedTensor> model = WeightsCodec.decode(plaintext, layout);
        received.add(new Received(instruction, model));
        behavior.onInstruction(this, instruction, model);
      } catch (Throwable t) {
        errors.add(t);
      }
    }

    EnvelopeContext context(Instruction instruction, Direction direction, TaskKind kind) {
      return new EnvelopeContext(
          instruction.getRunId(), instruction.getRound(), id, direction,
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
      return cipher.seal(key, context(instruction, Direction.NODE_TO_SUPERLINK, TaskKind.TASK_KIND_TRAIN), WeightsCodec.encode(weights));
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

    PushReplyResponse push(ReplyHeader header, byte[] payload) {
      PushReplyResponse response = dispatcher.acceptReply(new AuthenticatedNode(id, name), header, payload);
      responses.add(response);
      return response;
    }
  }
}
