package io.fedsecure.superlink.fleet;

import com.google.protobuf.ByteString;
import io.fedsecure.proto.fleet.PushReplyResponse;

/**
 * Where one PushReply stream's payload goes as it arrives (see {@link AwaitedReply#receive}). The
 * Fleet service asks for the next chunk only after {@link #start}'s callback ran and the previous
 * chunk returned, so a sink paces its sender through gRPC flow control. Nothing a sink sees counts
 * before {@link #complete}, which runs only after the request signature checked out; every other
 * ending calls {@link #abort}.
 */
public interface ReplySink {

  /** Runs {@code ready}, now or later and on any thread, when the sink wants the chunks. */
  void start(Runnable ready);

  /** The next chunk, in order; framing has been checked. */
  void chunk(ByteString data);

  /** The stream ended, complete and signed: the verdict for the node. */
  PushReplyResponse complete();

  /** The stream ended any other way; may also be called after {@link #complete}, to no effect. */
  void abort();
}
