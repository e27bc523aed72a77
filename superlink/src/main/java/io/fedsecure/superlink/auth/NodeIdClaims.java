package io.fedsecure.superlink.auth;

import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.Message;
import io.fedsecure.proto.fleet.FleetGrpc;
import io.fedsecure.proto.fleet.ReplyFrame;
import io.grpc.MethodDescriptor;
import java.io.ByteArrayInputStream;
import java.util.Map;
import java.util.OptionalLong;
import java.util.stream.Collectors;

/**
 * The node id a Fleet request body claims, if it names one. Found by field name so a request type
 * added later cannot slip past the check by forgetting to register here.
 */
final class NodeIdClaims {

  private static final Map<String, MethodDescriptor.Marshaller<?>> REQUEST_PARSERS =
      FleetGrpc.getServiceDescriptor().getMethods().stream()
          .collect(
              Collectors.toUnmodifiableMap(
                  MethodDescriptor::getFullMethodName, MethodDescriptor::getRequestMarshaller));

  private NodeIdClaims() {}

  private static OptionalLong claimedNodeId(Object request) {
    if (request instanceof ReplyFrame frame) {
      return frame.hasHeader()
          ? OptionalLong.of(frame.getHeader().getNodeId())
          : OptionalLong.empty();
    }
    if (request instanceof Message message) {
      FieldDescriptor field = message.getDescriptorForType().findFieldByName("node_id");
      if (field != null && field.getJavaType() == FieldDescriptor.JavaType.LONG) {
        return OptionalLong.of((Long) message.getField(field));
      }
    }
    return OptionalLong.empty();
  }

  /** Parses {@code body}, a request of {@code method} as received, and checks the node it names. */
  static void requireCaller(String method, byte[] body, AuthenticatedNode caller)
      throws NodeAuthException {
    MethodDescriptor.Marshaller<?> parser = REQUEST_PARSERS.get(method);
    if (parser == null) {
      throw new NodeAuthException("unknown_method", "not a Fleet method: " + method);
    }
    Object request;
    try {
      request = parser.parse(new ByteArrayInputStream(body));
    } catch (RuntimeException e) {
      throw new NodeAuthException(
          "malformed_body", "the request body is not a valid " + method + " request");
    }
    OptionalLong claimed = claimedNodeId(request);
    if (claimed.isPresent() && claimed.getAsLong() != caller.nodeId()) {
      throw new NodeAuthException(
          "node_id_mismatch",
          "request names node "
              + Long.toUnsignedString(claimed.getAsLong())
              + " but the caller is node "
              + Long.toUnsignedString(caller.nodeId()));
    }
  }
}
