-- The node registry. Timestamps are Unix epoch milliseconds (UTC).
CREATE TABLE nodes (
  -- Random positive 63-bit id, as Flower assigns: not guessable from registration order.
  node_id          INTEGER PRIMARY KEY,
  -- Optional operator-given name; maps the node to encryption_keys/<name>_key.bin.
  name             TEXT,
  -- SubjectPublicKeyInfo DER of the node's EC identity key.
  public_key       BLOB    NOT NULL,
  -- "SHA256:" + base64 of SHA-256 over public_key. Unique for ever: an unregistered key stays revoked.
  fingerprint      TEXT    NOT NULL UNIQUE,
  status           TEXT    NOT NULL CHECK (status IN ('REGISTERED', 'ONLINE', 'OFFLINE', 'UNREGISTERED')),
  registered_at    INTEGER NOT NULL,
  last_seen_at     INTEGER,
  unregistered_at  INTEGER,
  -- Subject CN of the operator certificate that registered the node.
  owner            TEXT    NOT NULL
);

-- A name belongs to one live node; once that node is unregistered the name can be given to a new key
-- (the usual way to replace a node's identity key while keeping its weight-key file).
CREATE UNIQUE INDEX nodes_live_name ON nodes (name) WHERE name IS NOT NULL AND status <> 'UNREGISTERED';

CREATE INDEX nodes_status ON nodes (status);
