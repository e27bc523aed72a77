package io.fedsecure.supernode.connection;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import io.fedsecure.proto.PayloadChunk;
import io.fedsecure.proto.fleet.Instruction;
import io.fedsecure.proto.fleet.InstructionFrame;
import io.fedsecure.supernode.NodeStartupException;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class InstructionAssemblerTest {

  private final List<byte[]> complete = new ArrayList<>();
  private final List<String> broken = new ArrayList<>();
  private final InstructionAssembler assembler =
      new InstructionAssembler(
          1000,
          new SessionContext() {
            @Override
            public long nodeId() {
              return 1;
            }

            @Override
            public String nodeName() {
              return "node-1";
            }

            @Override
            public void fail(NodeStartupException reason) {}
          },
          new InstructionHandler() {
            @Override
            public void onInstruction(
                SessionContext session, Instruction instruction, byte[] envelope) {
              complete.add(envelope);
            }

            @Override
            public void onBrokenTransfer(
                SessionContext session, Instruction instruction, String problem) {
              broken.add(problem);
            }
          });

  @Test
  void joinsChunksInOrder() {
    assembler.accept(instruction(5));
    assembler.accept(chunk(0, "abc", false));
    assembler.accept(chunk(1, "de", true));

    assertThat(complete).containsExactly("abcde".getBytes());
    assertThat(broken).isEmpty();
  }

  @Test
  void refusesAChunkOutOfOrder() {
    assembler.accept(instruction(5));
    assembler.accept(chunk(1, "abc", false));

    assertThat(broken).containsExactly("chunk index 1 where 0 was expected");
    assertThat(complete).isEmpty();
  }

  @Test
  void refusesAPayloadOfAnotherSizeThanAnnounced() {
    assembler.accept(instruction(5));
    assembler.accept(chunk(0, "abcd", true));
    assembler.accept(instruction(2));
    assembler.accept(chunk(0, "abc", true));

    assertThat(broken)
        .containsExactly(
            "the chunk flagged last ends the payload at 4 of the announced 5 bytes",
            "chunks exceed the announced payload_size of 2 bytes");
  }

  @Test
  void refusesAPayloadAboveTheLimitWithoutAllocatingIt() {
    assembler.accept(instruction(1001));

    assertThat(broken)
        .containsExactly(
            "the encrypted model of 1001 bytes exceeds this node's limit of 1000 bytes");
  }

  @Test
  void reportsAnInstructionCutOffByTheEndOfTheStream() {
    assembler.accept(instruction(5));
    assembler.accept(chunk(0, "ab", false));
    assembler.streamEnded();

    assertThat(broken).containsExactly("the instruction stream ended after 2 of 5 payload bytes");
  }

  private static InstructionFrame instruction(long size) {
    return InstructionFrame.newBuilder()
        .setInstruction(
            Instruction.newBuilder()
                .setInstructionId("i")
                .setRunId(1)
                .setRound(1)
                .setPayloadSize(size))
        .build();
  }

  private static InstructionFrame chunk(int index, String data, boolean last) {
    return InstructionFrame.newBuilder()
        .setChunk(
            PayloadChunk.newBuilder()
                .setIndex(index)
                .setData(ByteString.copyFromUtf8(data))
                .setLast(last))
        .build();
  }
}
