package io.fedsecure.supernode.task;

import io.fedsecure.proto.fleet.ReplyHeader;

/** A reply to one instruction: the header and the encrypted payload (empty if none). */
public record Reply(ReplyHeader header, byte[] payload) {

  public boolean isError() {
    return !header.getError().isEmpty();
  }
}
