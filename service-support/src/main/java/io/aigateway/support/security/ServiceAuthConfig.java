package io.aigateway.support.security;

import io.smallrye.config.ConfigMapping;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * {@code aigw.service-auth.*}: service-to-service credentials. Each service has its own secret ({@link #token()},
 * sent as {@code X-Aigw-Internal-Token} on its internal calls) and lists the callers it accepts
 * ({@link #callers()}), each by name with its secret — preferably only its SHA-256 ({@code token-sha256}), so a
 * service never holds a credential it could present elsewhere. A caller authenticates as role
 * {@code service:<name>} (plus its configured {@code roles}); each route names the roles it accepts.
 */
@ConfigMapping(prefix = "aigw.service-auth")
public interface ServiceAuthConfig {

    /** This service's own credential for its outgoing internal calls. Required only by services that call others. */
    Optional<String> token();

    /**
     * Whether this service accepts service callers at all. The edge does not: its only callers are clients with API
     * keys, and a client's {@code X-Aigw-Internal-Token} header means nothing there.
     */
    @io.smallrye.config.WithDefault("true")
    boolean acceptCallers();

    /** The callers this service accepts, keyed by caller name ({@code edge}, {@code routing}, {@code admin}, {@code ops}). */
    Map<String, Caller> callers();

    interface Caller {

        /** The caller's secret in clear (tests and local development). */
        Optional<String> token();

        /** Hex SHA-256 of the caller's secret (production: the receiving service never holds the secret). */
        Optional<String> tokenSha256();

        /** Roles in addition to {@code service:<name>}. */
        Optional<List<String>> roles();
    }
}
