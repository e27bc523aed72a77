package io.fedsecure.superlink.auth;

import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.Message;
import io.fedsecure.proto.fleet.ReplyFrame;
import java.util.OptionalLong;

/**
 * The node id a Fleet request body claims, if it names one. Found by field name so a request type
 * added later cannot slip past the check by forgetting to register here.
 */
final class NodeIdClaims {

  private NodeIdClaims() {}

  static OptionalLong claimedNodeId(Object request) {
    if (request instanceof ReplyFrame frame) {
      return frame.hasHeader() ? OptionalLong.of(frame.getHeader().getNodeId()) : OptionalLong.empty();
    }
    if (request instanceof Message message) {
      FieldDescriptor field = message.getDescriptorForType().findFieldByName("node_id");
      if (field != null && field.getJavaType() == FieldDescriptor.JavaType.LONG) {
        return OptionalLong.of((Long) message.getField(field));
      }
    }
    return OptionalLong.empty();
  }

  static void requireCaller(Object request, AuthenticatedNode caller) throws NodeAuthException {
    OptionalLong claimed = claimedNodeId(request);
    if (claimed.isPresent() && claimed.getAsLong() != caller.nodeId()) {
      throw new NodeAuthException("node_id_mismatch",
          "request names node " + Long.toUnsignedString(claimed.getAsLong()) + " but the caller is node "
              + Long.toUnsignedString(caller.nodeId()));
    }
  }
}
