package io.fedsecure.superlink.control;

import io.fedsecure.crypto.keys.EcKeys;
import io.fedsecure.crypto.keys.KeyFormatException;
import io.fedsecure.proto.control.ListNodesResponse;
import io.fedsecure.proto.control.NodeInfo;
import io.fedsecure.proto.control.RegisterNodeRequest;
import io.fedsecure.proto.control.RegisterNodeResponse;
import io.fedsecure.superlink.registry.JdbcNodeRegistry;
import io.fedsecure.superlink.registry.RegisteredNode;
import java.net.URI;
import java.security.PublicKey;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.ErrorResponseException;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestAttribute;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/** {@code flwr supernode register|list|unregister}. */
@RestController
@RequestMapping("/v1/nodes")
public class NodeController {

  private static final Logger log = LoggerFactory.getLogger(NodeController.class);
  // Names become file names (encryption_keys/<name>_key.bin): no separators, no surprises.
  private static final Pattern NAME = Pattern.compile("[A-Za-z0-9._-]{1,64}");

  private final JdbcNodeRegistry registry;

  public NodeController(JdbcNodeRegistry registry) {
    this.registry = registry;
  }

  @PostMapping
  public ResponseEntity<RegisterNodeResponse> register(
      @RequestBody RegisterNodeRequest request,
      @RequestAttribute(OperatorIdentity.ATTRIBUTE) OperatorIdentity operator) {
    String name = validName(request.getName());
    PublicKey key = parseKey(request.getPublicKey());
    String fingerprint = EcKeys.fingerprint(key);
    RegisteredNode node = registry.register(key.getEncoded(), fingerprint, name, operator.name());
    String id = Long.toUnsignedString(node.nodeId());
    log.info(
        "Registered node {}{} with key {} for operator {}",
        id,
        name == null ? "" : " (" + name + ")",
        fingerprint,
        operator.name());
    return ResponseEntity.created(URI.create("/v1/nodes/" + id))
        .body(
            RegisterNodeResponse.newBuilder()
                .setNodeId(node.nodeId())
                .setName(name == null ? "" : name)
                .build());
  }

  @GetMapping
  public ListNodesResponse list() {
    ListNodesResponse.Builder response = ListNodesResponse.newBuilder();
    registry.list().forEach(node -> response.addNodes(NodeInfoMapping.toProto(node)));
    return response.build();
  }

  @DeleteMapping("/{nodeId}")
  public NodeInfo unregister(
      @PathVariable String nodeId,
      @RequestAttribute(OperatorIdentity.ATTRIBUTE) OperatorIdentity operator) {
    long id = parseNodeId(nodeId);
    RegisteredNode node = registry.unregister(id);
    log.info("Node {} unregistered by operator {}", nodeId, operator.name());
    return NodeInfoMapping.toProto(node);
  }

  private static String validName(String name) {
    if (name.isEmpty()) {
      return null;
    }
    if (!NAME.matcher(name).matches()) {
      throw badRequest(
          "Invalid node name", "name must be 1-64 characters of A-Z, a-z, 0-9, '.', '_' or '-'");
    }
    return name;
  }

  private static PublicKey parseKey(String text) {
    if (text.isBlank()) {
      throw badRequest(
          "Invalid public key", "public_key is empty: give the node's public key (PEM or OpenSSH)");
    }
    try {
      return EcKeys.parsePublicKey(text);
    } catch (KeyFormatException e) {
      throw badRequest("Invalid public key", e.getMessage());
    }
  }

  private static long parseNodeId(String text) {
    try {
      return Long.parseUnsignedLong(text);
    } catch (NumberFormatException e) {
      throw badRequest(
          "Invalid node id", "node id must be an unsigned integer, got '" + abbreviate(text) + "'");
    }
  }

  private static String abbreviate(String text) {
    return text.length() <= 40 ? text : text.substring(0, 40) + "...";
  }

  private static ErrorResponseException badRequest(String title, String detail) {
    ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.BAD_REQUEST, detail);
    problem.setTitle(title);
    return new ErrorResponseException(HttpStatus.BAD_REQUEST, problem, null);
  }
}
