package io.fedsecure.protocol.framing;

import com.google.protobuf.ByteString;
import io.fedsecure.proto.PayloadChunk;
import java.util.ArrayList;
import java.util.List;

/**
 * How a payload (an envelope) is cut into {@link PayloadChunk}s on both Fleet streams: after the
 * frame that announces its {@code payload_size}, chunks with indices 0, 1, 2, ... of at most {@link
 * #MAX_CHUNK_BYTES} each, the final one flagged {@code last}; an empty payload has no chunks.
 * {@link ChunkSequence} checks the same rules on the receiving side.
 */
public final class PayloadChunks {

  /** The contract's largest chunk: well under the 8 MiB message limit both daemons set. */
  public static final int MAX_CHUNK_BYTES = 1024 * 1024;

  private PayloadChunks() {}

  public static PayloadChunk chunk(int index, byte[] data, int offset, int length, boolean last) {
    return PayloadChunk.newBuilder()
        .setIndex(index)
        .setData(ByteString.copyFrom(data, offset, length))
        .setLast(last)
        .build();
  }

  /** The whole payload in chunks of {@code chunkBytes} (1..{@link #MAX_CHUNK_BYTES}). */
  public static List<PayloadChunk> split(byte[] payload, int chunkBytes) {
    checkChunkSize(chunkBytes);
    List<PayloadChunk> chunks = new ArrayList<>(payload.length / chunkBytes + 1);
    int index = 0;
    for (int offset = 0; offset < payload.length; offset += chunkBytes) {
      int length = Math.min(chunkBytes, payload.length - offset);
      chunks.add(chunk(index++, payload, offset, length, offset + length == payload.length));
    }
    return chunks;
  }

  public static int checkChunkSize(int chunkBytes) {
    if (chunkBytes <= 0 || chunkBytes > MAX_CHUNK_BYTES) {
      throw new IllegalArgumentException(
          "chunk size must be in 1.." + MAX_CHUNK_BYTES + " bytes, got " + chunkBytes);
    }
    return chunkBytes;
  }
}
