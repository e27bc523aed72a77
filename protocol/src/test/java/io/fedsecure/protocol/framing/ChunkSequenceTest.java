package io.fedsecure.protocol.framing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import io.fedsecure.proto.PayloadChunk;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class ChunkSequenceTest {

  @Test
  void
      givenAPayloadSplitByPayloadChunks_whenEveryChunkIsAccepted_thenTheSequenceIsCompleteAndTheBytesAreTheSame()
          throws Exception {
    byte[] payload = "abcdefghij".getBytes(StandardCharsets.US_ASCII);
    List<PayloadChunk> chunks = PayloadChunks.split(payload, 3);
    ChunkSequence sequence = new ChunkSequence(payload.length, 100);

    ByteString joined = ByteString.EMPTY;
    for (PayloadChunk chunk : chunks) {
      assertThat(sequence.isComplete()).isFalse();
      sequence.accept(chunk);
      joined = joined.concat(chunk.getData());
    }

    assertThat(chunks).extracting(PayloadChunk::getIndex).containsExactly(0, 1, 2, 3);
    assertThat(chunks).extracting(PayloadChunk::getLast).containsExactly(false, false, false, true);
    assertThat(sequence.isComplete()).isTrue();
    sequence.checkComplete();
    assertThat(joined.toByteArray()).isEqualTo(payload);
  }

  @Test
  void givenAnEmptyPayload_whenSplit_thenThereAreNoChunksAndTheSequenceIsCompleteAtOnce()
      throws Exception {
    assertThat(PayloadChunks.split(new byte[0], 3)).isEmpty();
    assertThat(new ChunkSequence(0, 100).isComplete()).isTrue();
  }

  @Test
  void givenAnAnnouncedSizeAboveTheMaximum_whenTheSequenceStarts_thenItIsRefused() {
    assertThatThrownBy(() -> new ChunkSequence(101, 100))
        .hasMessage("payload_size 101 exceeds the maximum of 100 bytes");
    assertThatThrownBy(() -> new ChunkSequence(-1, 100))
        .hasMessage("payload_size 18446744073709551615 exceeds the maximum of 100 bytes");
  }

  @Test
  void givenChunksOutOfOrder_whenAccepted_thenTheWrongIndexIsNamed() throws Exception {
    ChunkSequence sequence = new ChunkSequence(5, 100);
    assertThatThrownBy(() -> sequence.accept(chunk(1, "ab", false)))
        .hasMessage("chunk index 1 where 0 was expected");
  }

  @Test
  void givenMoreBytesThanAnnounced_whenAccepted_thenTheyAreRefused() throws Exception {
    ChunkSequence sequence = new ChunkSequence(2, 100);
    assertThatThrownBy(() -> sequence.accept(chunk(0, "abc", true)))
        .hasMessage("chunks exceed the announced payload_size of 2 bytes");
  }

  @Test
  void givenALastChunkThatEndsThePayloadShort_whenAccepted_thenItIsRefused() throws Exception {
    ChunkSequence sequence = new ChunkSequence(5, 100);
    assertThatThrownBy(() -> sequence.accept(chunk(0, "abcd", true)))
        .hasMessage("the chunk flagged last ends the payload at 4 of the announced 5 bytes");
  }

  @Test
  void givenAChunkAfterTheLast_whenAccepted_thenItIsRefused() throws Exception {
    ChunkSequence sequence = new ChunkSequence(1, 100);
    sequence.accept(chunk(0, "a", true));
    assertThatThrownBy(() -> sequence.accept(chunk(1, "", false)))
        .hasMessage("chunk 1 after the chunk flagged last");
  }

  @Test
  void givenAStreamThatEndsEarlyOrUnflagged_whenChecked_thenTheProblemIsNamed() throws Exception {
    ChunkSequence shortOne = new ChunkSequence(5, 100);
    shortOne.accept(chunk(0, "abc", false));
    assertThatThrownBy(shortOne::checkComplete)
        .hasMessage("received 3 payload bytes, the header announced 5");

    ChunkSequence unflagged = new ChunkSequence(3, 100);
    unflagged.accept(chunk(0, "abc", false));
    assertThat(unflagged.isComplete()).isFalse();
    assertThatThrownBy(unflagged::checkComplete)
        .hasMessage("the final chunk 0 is not flagged last");
  }

  @Test
  void givenAChunkSizeOutsideTheContract_whenSplitting_thenItIsRefused() {
    assertThatThrownBy(() -> PayloadChunks.split(new byte[1], 0))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> PayloadChunks.split(new byte[1], PayloadChunks.MAX_CHUNK_BYTES + 1))
        .isInstanceOf(IllegalArgumentException.class);
  }

  private static PayloadChunk chunk(int index, String data, boolean last) {
    return PayloadChunk.newBuilder()
        .setIndex(index)
        .setData(ByteString.copyFromUtf8(data))
        .setLast(last)
        .build();
  }
}
