package io.fedsecure.superlink.auth;

import io.fedsecure.crypto.auth.SignedRequest;
import io.fedsecure.protocol.FleetMetadata;
import io.grpc.CallOptions;
import io.grpc.Channel;
import io.grpc.ClientInterceptors;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor;
import io.grpc.stub.ClientCalls;
import io.grpc.stub.MetadataUtils;
import java.util.concurrent.TimeUnit;

/**
 * A unary Fleet call whose body is exactly the given bytes, under the given signature headers: what
 * an attacker sends.
 */
final class RawFleetCall {

  private RawFleetCall() {}

  static byte[] unary(Channel channel, String fullMethodName, SignedRequest signed, byte[] body) {
    Metadata headers = new Metadata();
    headers.put(FleetMetadata.PUBLIC_KEY, signed.publicKeySpki());
    headers.put(FleetMetadata.TIMESTAMP, signed.timestamp());
    headers.put(FleetMetadata.NONCE, signed.nonce());
    headers.put(FleetMetadata.SIGNATURE, signed.signature());
    MethodDescriptor<byte[], byte[]> method =
        MethodDescriptor.<byte[], byte[]>newBuilder()
            .setType(MethodDescriptor.MethodType.UNARY)
            .setFullMethodName(fullMethodName)
            .setRequestMarshaller(NodeAuthInterceptor.RECEIVED_BYTES)
            .setResponseMarshaller(NodeAuthInterceptor.RECEIVED_BYTES)
            .build();
    Channel signedChannel =
        ClientInterceptors.intercept(channel, MetadataUtils.newAttachHeadersInterceptor(headers));
    return ClientCalls.blockingUnaryCall(
        signedChannel, method, CallOptions.DEFAULT.withDeadlineAfter(20, TimeUnit.SECONDS), body);
  }
}
