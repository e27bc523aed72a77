package io.fedsecure.protocol.framing;

import static io.fedsecure.crypto.testing.ProtocolVectors.hex;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.fedsecure.crypto.testing.ProtocolVectors;
import io.fedsecure.proto.PayloadChunk;
import io.fedsecure.proto.TaskKind;
import io.fedsecure.proto.fleet.ReplyFrame;
import io.fedsecure.proto.fleet.ReplyHeader;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.Test;

/** docs/protocol-vectors/chunking.json against the payload framing both daemons use. */
class PayloadChunksVectorsTest {

  private static final JsonNode VECTOR = ProtocolVectors.load("chunking.json").get("cases").get(0);

  @Test
  void givenTheHeaderFieldsWhenEncodedThenTheHeaderBytesAreTheVectors() {
    assertThat(header().toByteArray()).isEqualTo(hex(VECTOR.get("reply_header").get("bytes")));
  }

  @Test
  void givenHeaderPayloadAndChunkSizeWhenFramedThenEveryFrameIsTheVectors() {
    List<ReplyFrame> frames = frames();

    assertThat(frames.stream().map(f -> HexFormat.of().formatHex(f.toByteArray())).toList())
        .isEqualTo(frameHex(VECTOR.get("frames")));
    for (int i = 1; i < frames.size(); i++) {
      JsonNode chunk = VECTOR.get("frames").get(i).get("chunk");
      assertThat(frames.get(i).getChunk().getIndex()).isEqualTo(chunk.get("index").asInt());
      assertThat(frames.get(i).getChunk().getData().toByteArray())
          .isEqualTo(hex(chunk.get("data")));
      assertThat(frames.get(i).getChunk().getLast()).isEqualTo(chunk.get("last").asBoolean());
    }
  }

  @Test
  void givenTheVectorsChunksWhenReceivedThenTheSequenceIsCompleteAndAChangedIndexIsRefused()
      throws Exception {
    List<PayloadChunk> chunks = frames().stream().skip(1).map(ReplyFrame::getChunk).toList();
    long announced = VECTOR.get("reply_header").get("payload_size").asLong();

    ChunkSequence sequence = new ChunkSequence(announced, announced);
    for (PayloadChunk chunk : chunks) {
      sequence.accept(chunk);
    }
    assertThat(sequence.isComplete()).isTrue();

    ChunkSequence reordered = new ChunkSequence(announced, announced);
    reordered.accept(chunks.get(0));
    assertThatThrownBy(() -> reordered.accept(chunks.get(2)))
        .isInstanceOf(ChunkSequence.FramingException.class);
  }

  @Test
  void theSignedPushReplyVectorSignsExactlyTheseFrames() {
    JsonNode pushReply =
        ProtocolVectors.cases(ProtocolVectors.load("request-signature.json"))
            .filter(c -> c.get("method").asText().endsWith("/PushReply"))
            .findFirst()
            .orElseThrow();

    assertThat(frameHex(pushReply.get("messages"))).isEqualTo(frameHex(VECTOR.get("frames")));
  }

  private static List<ReplyFrame> frames() {
    List<ReplyFrame> frames = new ArrayList<>();
    frames.add(ReplyFrame.newBuilder().setHeader(header()).build());
    for (PayloadChunk chunk :
        PayloadChunks.split(hex(VECTOR.get("payload")), VECTOR.get("chunk_size").asInt())) {
      frames.add(ReplyFrame.newBuilder().setChunk(chunk).build());
    }
    return frames;
  }

  private static ReplyHeader header() {
    JsonNode h = VECTOR.get("reply_header");
    ReplyHeader.Builder b =
        ReplyHeader.newBuilder()
            .setInstructionId(h.get("instruction_id").asText())
            .setNodeId(Long.parseUnsignedLong(h.get("node_id").asText()))
            .setRunId(h.get("run_id").asLong())
            .setRound(h.get("round").asInt())
            .setKind(TaskKind.valueOf(h.get("kind").asText()))
            .setError(h.get("error").asText())
            .setNumExamples(h.get("num_examples").asLong())
            .setPayloadSize(h.get("payload_size").asLong());
    h.get("metrics")
        .fields()
        .forEachRemaining(m -> b.putMetrics(m.getKey(), m.getValue().asDouble()));
    return b.build();
  }

  private static List<String> frameHex(JsonNode frames) {
    return StreamSupport.stream(frames.spliterator(), false)
        .map(f -> f.isTextual() ? f.asText() : f.get("bytes").asText())
        .toList();
  }
}
