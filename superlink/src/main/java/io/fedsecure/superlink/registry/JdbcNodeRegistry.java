package io.fedsecure.superlink.registry;

import java.security.SecureRandom;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.dao.DataAccessException;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.RowMapper;
import org.springframework.stereotype.Repository;
import org.sqlite.SQLiteErrorCode;
import org.sqlite.SQLiteException;

/**
 * The node registry in SQLite. Uniqueness of keys and names is left to the database's constraints
 * so that concurrent registrations cannot both win.
 */
@Repository
public class JdbcNodeRegistry implements NodeRegistry {

  private static final String COLUMNS =
      "node_id, name, status, fingerprint, registered_at, last_seen_at, owner";
  private static final RowMapper<RegisteredNode> NODE = JdbcNodeRegistry::mapNode;

  private final JdbcTemplate jdbc;
  private final Clock clock;
  private final ApplicationEventPublisher events;
  private final SecureRandom random = new SecureRandom();

  public JdbcNodeRegistry(JdbcTemplate jdbc, Clock clock, ApplicationEventPublisher events) {
    this.jdbc = jdbc;
    this.clock = clock;
    this.events = events;
  }

  @Override
  public List<RegisteredNode> list() {
    return jdbc.query("SELECT " + COLUMNS + " FROM nodes ORDER BY registered_at, node_id", NODE);
  }

  @Override
  public Optional<RegisteredNode> find(long nodeId) {
    return jdbc.query("SELECT " + COLUMNS + " FROM nodes WHERE node_id = ?", NODE, nodeId).stream()
        .findFirst();
  }

  @Override
  public List<RegisteredNode> online() {
    return jdbc.query(
        "SELECT " + COLUMNS + " FROM nodes WHERE status = 'ONLINE' ORDER BY node_id", NODE);
  }

  public int countOnline() {
    Integer n =
        jdbc.queryForObject("SELECT count(*) FROM nodes WHERE status = 'ONLINE'", Integer.class);
    return n == null ? 0 : n;
  }

  /** The node holding the key with this fingerprint, in any status. */
  public Optional<NodeIdentity> findByFingerprint(String fingerprint) {
    return jdbc
        .query(
            "SELECT node_id, name, status FROM nodes WHERE fingerprint = ?",
            (rs, i) ->
                new NodeIdentity(
                    rs.getLong(1), rs.getString(2), NodeStatus.valueOf(rs.getString(3))),
            fingerprint)
        .stream()
        .findFirst();
  }

  /**
   * Registers a key.
   *
   * @param publicKeySpki SubjectPublicKeyInfo DER
   * @param name null for an unnamed node
   * @throws DuplicateNodeException the key was ever registered, or the name belongs to a live node
   */
  public RegisteredNode register(
      byte[] publicKeySpki, String fingerprint, String name, String owner) {
    long nodeId = newNodeId();
    Instant now = clock.instant();
    try {
      jdbc.update(
          "INSERT INTO nodes (node_id, name, public_key, fingerprint, status, registered_at, owner) "
              + "VALUES (?, ?, ?, ?, 'REGISTERED', ?, ?)",
          nodeId,
          name,
          publicKeySpki,
          fingerprint,
          now.toEpochMilli(),
          owner);
    } catch (DataAccessException e) {
      throw translateConflict(e, fingerprint, name);
    }
    return new RegisteredNode(nodeId, name, NodeStatus.REGISTERED, fingerprint, now, null, owner);
  }

  /**
   * Marks the node unregistered (final) and tells listeners to drop its streams.
   *
   * @return the node as it is now
   * @throws UnknownNodeException no such node
   */
  public RegisteredNode unregister(long nodeId) {
    int changed =
        jdbc.update(
            "UPDATE nodes SET status = 'UNREGISTERED', unregistered_at = ? WHERE node_id = ? AND status <> 'UNREGISTERED'",
            clock.millis(),
            nodeId);
    RegisteredNode node = find(nodeId).orElseThrow(() -> new UnknownNodeException(nodeId));
    if (changed == 1) {
      events.publishEvent(new NodeUnregisteredEvent(nodeId, node.name()));
    }
    return node;
  }

  /**
   * Records that the node was heard from now and marks it ONLINE.
   *
   * @return true if that changed its status (it was registered or offline)
   */
  public boolean markSeen(long nodeId) {
    long now = clock.millis();
    int cameOnline =
        jdbc.update(
            "UPDATE nodes SET status = 'ONLINE', last_seen_at = ? WHERE node_id = ? AND status IN ('REGISTERED', 'OFFLINE')",
            now,
            nodeId);
    if (cameOnline == 0) {
      jdbc.update(
          "UPDATE nodes SET last_seen_at = ? WHERE node_id = ? AND status = 'ONLINE'", now, nodeId);
    }
    return cameOnline == 1;
  }

  /**
   * @return true if the node was ONLINE and is now OFFLINE
   */
  public boolean markOffline(long nodeId) {
    return jdbc.update(
            "UPDATE nodes SET status = 'OFFLINE' WHERE node_id = ? AND status = 'ONLINE'", nodeId)
        == 1;
  }

  /** Online nodes last heard from before {@code cutoff}. */
  public List<RegisteredNode> onlineNotSeenSince(Instant cutoff) {
    return jdbc.query(
        "SELECT " + COLUMNS + " FROM nodes WHERE status = 'ONLINE' AND last_seen_at < ?",
        NODE,
        cutoff.toEpochMilli());
  }

  /**
   * Marks the node OFFLINE if it is still online and still not heard from since {@code cutoff}: a
   * heartbeat that raced the liveness check wins.
   */
  public boolean markOfflineIfNotSeenSince(long nodeId, Instant cutoff) {
    return jdbc.update(
            "UPDATE nodes SET status = 'OFFLINE' WHERE node_id = ? AND status = 'ONLINE' AND last_seen_at < ?",
            nodeId,
            cutoff.toEpochMilli())
        == 1;
  }

  private long newNodeId() {
    long id;
    do {
      id = random.nextLong() & Long.MAX_VALUE;
    } while (id == 0);
    return id;
  }

  private RuntimeException translateConflict(
      DataAccessException e, String fingerprint, String name) {
    // SQLite names the violated column in its message: "UNIQUE constraint failed:
    // nodes.fingerprint".
    String message = e.getMostSpecificCause().getMessage();
    boolean unique =
        e.getMostSpecificCause() instanceof SQLiteException s
            && s.getResultCode() == SQLiteErrorCode.SQLITE_CONSTRAINT_UNIQUE;
    if (unique && message.contains("nodes.fingerprint")) {
      return new DuplicateNodeException(
          DuplicateNodeException.Conflict.PUBLIC_KEY,
          "public key "
              + fingerprint
              + " is already registered"
              + findByFingerprint(fingerprint)
                  .map(
                      n ->
                          " (node "
                              + Long.toUnsignedString(n.nodeId())
                              + ", "
                              + n.status().name().toLowerCase()
                              + ")")
                  .orElse(""));
    }
    if (unique && message.contains("nodes.name")) {
      return new DuplicateNodeException(
          DuplicateNodeException.Conflict.NAME,
          "name '" + name + "' is already used by a registered node");
    }
    return e;
  }

  private static RegisteredNode mapNode(ResultSet rs, int row) throws SQLException {
    long lastSeen = rs.getLong("last_seen_at");
    Instant lastSeenAt = rs.wasNull() ? null : Instant.ofEpochMilli(lastSeen);
    return new RegisteredNode(
        rs.getLong("node_id"),
        rs.getString("name"),
        NodeStatus.valueOf(rs.getString("status")),
        rs.getString("fingerprint"),
        Instant.ofEpochMilli(rs.getLong("registered_at")),
        lastSeenAt,
        rs.getString("owner"));
  }
}
