package io.fedsecure.supernode;

import org.springframework.boot.autoconfigure.SpringBootApplication;

/**
 * The SuperNode daemon's Spring application, started by {@code cli.SuperNodeMain}. Beans: config
 * (NodeConfig, properties), connection (channel, signing, session), task (decrypt, train, encrypt)
 * and the LocalTrainer from the training package.
 */
@SpringBootApplication
public class SuperNodeApplication {}
