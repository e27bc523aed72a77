package io.fedsecure.superlink.fleet;

import com.google.protobuf.ByteString;
import io.fedsecure.proto.fleet.PushReplyResponse;
import io.fedsecure.proto.fleet.ReplyHeader;
import io.fedsecure.superlink.auth.AuthenticatedNode;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A reply refused whatever it carries: its payload is read and dropped rather than held, and the
 * refusal is logged once the call's signature checked out (so that forged calls leave no trace).
 */
public final class RefusedReply implements ReplySink {

  private static final Logger log = LoggerFactory.getLogger(RefusedReply.class);

  private final AuthenticatedNode caller;
  private final ReplyHeader header;
  private final String reason;

  public RefusedReply(AuthenticatedNode caller, ReplyHeader header, String reason) {
    this.caller = caller;
    this.header = header;
    this.reason = reason;
  }

  @Override
  public void start(Runnable ready) {
    ready.run();
  }

  @Override
  public void chunk(ByteString data) {}

  @Override
  public PushReplyResponse complete() {
    log.warn(
        "Refused reply from node {} (id {}) for run {} round {}: {}",
        caller.name(),
        caller.nodeId(),
        header.getRunId(),
        header.getRound(),
        reason);
    return refused(reason);
  }

  @Override
  public void abort() {}

  public static PushReplyResponse refused(String reason) {
    return PushReplyResponse.newBuilder().setAccepted(false).setReason(reason).build();
  }
}
