package io.fedsecure.superlink.fleet;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import io.fedsecure.proto.PayloadChunk;
import io.fedsecure.proto.fleet.ReplyFrame;
import io.fedsecure.proto.fleet.ReplyHeader;
import org.junit.jupiter.api.Test;

class ReplyAssemblerTest {

  private static ReplyFrame header(long size) {
    return ReplyFrame.newBuilder().setHeader(ReplyHeader.newBuilder().setPayloadSize(size)).build();
  }

  private static ReplyFrame chunk(int index, String data, boolean last) {
    return ReplyFrame.newBuilder()
        .setChunk(
            PayloadChunk.newBuilder()
                .setIndex(index)
                .setData(ByteString.copyFromUtf8(data))
                .setLast(last))
        .build();
  }

  @Test
  void chunksInOrderAddingUpToTheAnnouncedSizeAreComplete() throws Exception {
    ReplyAssembler assembler = new ReplyAssembler(100);
    assembler.accept(header(6));
    assembler.accept(chunk(0, "abc", false));
    assembler.accept(chunk(1, "def", true));
    assertThatCode(assembler::complete).doesNotThrowAnyException();
  }

  @Test
  void evaluationReplyWithoutChunksIsComplete() throws Exception {
    ReplyAssembler assembler = new ReplyAssembler(100);
    assembler.accept(header(0));
    assertThatCode(assembler::complete).doesNotThrowAnyException();
  }

  @Test
  void unflaggedFinalChunkIsRefused() throws Exception {
    ReplyAssembler assembler = new ReplyAssembler(100);
    assembler.accept(header(3));
    assembler.accept(chunk(0, "abc", false));
    assertThatThrownBy(assembler::complete)
        .hasMessageContaining("the final chunk 0 is not flagged last");
  }

  @Test
  void announcedSizeAboveTheCapIsRefused() {
    assertThatThrownBy(() -> new ReplyAssembler(100).accept(header(101)))
        .hasMessageContaining("exceeds the maximum of 100 bytes");
  }

  @Test
  void moreDataThanAnnouncedIsRefused() throws Exception {
    ReplyAssembler assembler = new ReplyAssembler(100);
    assembler.accept(header(2));
    assertThatThrownBy(() -> assembler.accept(chunk(0, "abc", true)))
        .hasMessageContaining("exceed the announced payload_size");
  }

  @Test
  void lessDataThanAnnouncedIsRefused() throws Exception {
    ReplyAssembler shortLast = new ReplyAssembler(100);
    shortLast.accept(header(5));
    assertThatThrownBy(() -> shortLast.accept(chunk(0, "abc", true)))
        .hasMessageContaining(
            "the chunk flagged last ends the payload at 3 of the announced 5 bytes");

    ReplyAssembler endedEarly = new ReplyAssembler(100);
    endedEarly.accept(header(5));
    endedEarly.accept(chunk(0, "abc", false));
    assertThatThrownBy(endedEarly::complete)
        .hasMessageContaining("received 3 payload bytes, the header announced 5");
  }

  @Test
  void chunkBeforeHeaderAndChunkAfterLastAreRefused() throws Exception {
    assertThatThrownBy(() -> new ReplyAssembler(100).accept(chunk(0, "a", true)))
        .hasMessageContaining("before the reply header");
    ReplyAssembler assembler = new ReplyAssembler(100);
    assembler.accept(header(1));
    assembler.accept(chunk(0, "a", true));
    assertThatThrownBy(() -> assembler.accept(chunk(1, "b", true)))
        .hasMessageContaining("after the chunk flagged last");
  }
}
