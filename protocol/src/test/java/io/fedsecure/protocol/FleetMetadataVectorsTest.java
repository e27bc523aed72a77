package io.fedsecure.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.fedsecure.crypto.testing.ProtocolVectors;
import org.junit.jupiter.api.Test;

/**
 * The metadata key names docs/protocol-vectors/request-signature.json gives are the ones on the
 * wire.
 */
class FleetMetadataVectorsTest {

  @Test
  void givenTheSignatureVectorsWhenTheirMetadataKeysAreReadThenTheyAreTheKeysBothDaemonsUse() {
    JsonNode keys = ProtocolVectors.load("request-signature.json").get("metadata_keys");

    assertThat(keys.get("public_key").asText()).isEqualTo(FleetMetadata.PUBLIC_KEY.name());
    assertThat(keys.get("timestamp").asText()).isEqualTo(FleetMetadata.TIMESTAMP.name());
    assertThat(keys.get("nonce").asText()).isEqualTo(FleetMetadata.NONCE.name());
    assertThat(keys.get("signature").asText()).isEqualTo(FleetMetadata.SIGNATURE.name());
  }
}
