package io.fedsecure.cli.http;

import java.nio.file.Path;

/**
 * Where and how to reach one federation's Control API. {@code federation} is null when the settings
 * came from flags alone.
 */
public record ConnectionConfig(
    String federation,
    String address,
    Path rootCertificates,
    Path operatorCertfile,
    Path operatorKeyfile) {}
