package io.aigateway.edge.auth;

import io.aigateway.contracts.error.ApiError;
import io.aigateway.contracts.error.ApiException;
import io.aigateway.contracts.internal.ApiKeyRecord;
import io.quarkus.oidc.AccessTokenCredential;
import io.quarkus.oidc.OIDCException;
import io.quarkus.oidc.Tenant;
import io.quarkus.oidc.TenantIdentityProvider;
import io.quarkus.security.identity.SecurityIdentity;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.json.JsonArray;
import jakarta.json.JsonNumber;
import jakarta.json.JsonObject;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.jwt.JsonWebToken;
import org.jboss.logging.Logger;

import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.UnknownHostException;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeoutException;
import java.util.regex.Pattern;

/**
 * Verifies OIDC bearer tokens with quarkus-oidc's tenant {@value #TENANT} ({@code application-type=service}:
 * signature against the issuer's cached JWKS, issuer, audience, expiry), called programmatically through
 * {@link TenantIdentityProvider} from the handlers' authentication step ({@link ApiKeyService#authenticate}) — the
 * tenant is never selected by quarkus-oidc's own HTTP mechanism, whose default tenant is disabled, so the edge keeps
 * answering in its own envelope and an {@code aigw_} key is never sent to the issuer.
 * <p>
 * A verified token becomes a {@link Caller}: user id = claim {@code aigw.oidc.user-claim} (default {@code sub}), roles
 * = {@code realm_access.roles} plus {@code groups}, key id = none (the {@code X-Aigw-Caller-Key} header is sent empty,
 * as the usage and quota code already treat a caller without key). Refused token → 401 {@code invalid_token}; issuer
 * unreachable (its discovery document or keys cannot be fetched) → 503 {@code auth_unavailable}. Token contents are
 * never logged.
 */
@ApplicationScoped
public class OidcTokenVerifier {

    /** The quarkus-oidc tenant id ({@code quarkus.oidc.edge.*}). */
    public static final String TENANT = "edge";

    private static final Logger LOG = Logger.getLogger(OidcTokenVerifier.class);
    /** A compact JWS: three base64url parts (header and payload non-empty). */
    private static final Pattern JWT = Pattern.compile("[A-Za-z0-9_-]+\\.[A-Za-z0-9_-]+\\.[A-Za-z0-9_-]*");
    private static final int MAX_TOKEN_LENGTH = 16384;

    private final TenantIdentityProvider tokens;
    private final boolean enabled;
    private final String userClaim;
    private final long timeoutMs;

    public OidcTokenVerifier(@Tenant(TENANT) TenantIdentityProvider tokens,
                             @ConfigProperty(name = OidcTenantSwitch.ENABLED, defaultValue = "false") boolean enabled,
                             OidcConfig config) {
        this.tokens = tokens;
        this.enabled = enabled;
        this.userClaim = config.userClaim();
        this.timeoutMs = config.verifyTimeout().toMillis();
        LOG.infof(enabled ? "OIDC bearer tokens accepted (tenant '%s')" : "OIDC off (no AIGW_OIDC_ISSUER): API keys only",
                TENANT);
    }

    /** Whether a bearer value has the shape of a JWT (and is not one of our API keys). */
    public static boolean looksLikeToken(String bearer) {
        return bearer != null && !bearer.startsWith(ApiKeyRecord.KEY_PREFIX) && bearer.length() <= MAX_TOKEN_LENGTH
                && JWT.matcher(bearer).matches();
    }

    public boolean enabled() {
        return enabled;
    }

    /** @return the caller, or a failure with {@code ApiException} 401 {@code invalid_token} or 503 {@code auth_unavailable} */
    public Uni<Caller> verify(String token) {
        if (!enabled) {
            return Uni.createFrom().failure(invalidToken("This gateway does not accept OIDC tokens; use an API key.")
                    .exception());
        }
        return Uni.createFrom().deferred(() -> tokens.authenticate(new AccessTokenCredential(token)))
                .ifNoItem().after(java.time.Duration.ofMillis(timeoutMs))
                .failWith(() -> new TimeoutException("OIDC verification took longer than " + timeoutMs + " ms"))
                .onFailure().transform(OidcTokenVerifier::mapFailure)
                .map(this::toCaller);
    }

    Caller toCaller(SecurityIdentity identity) {
        if (identity == null || !(identity.getPrincipal() instanceof JsonWebToken jwt)) {
            throw invalidToken("The bearer token could not be verified.").exception();
        }
        String userId = string(jwt.getClaim(userClaim));
        if (userId == null || userId.isBlank()) {
            throw invalidToken("The bearer token has no '" + userClaim + "' claim.").exception();
        }
        Set<String> roles = new LinkedHashSet<>();
        Object realmAccess = jwt.getClaim("realm_access");
        if (realmAccess instanceof JsonObject o) {
            addAll(roles, o.get("roles"));
        } else if (realmAccess instanceof Map<?, ?> m) {
            addAll(roles, m.get("roles"));
        }
        addAll(roles, jwt.getClaim("groups"));
        long exp = jwt.getExpirationTime();
        return Caller.of(new ApiKeyRecord(null, userId, roles, exp > 0 ? exp * 1000 : null));
    }

    private static Throwable mapFailure(Throwable t) {
        if (t instanceof ApiException) {
            return t;
        }
        if (issuerUnreachable(t)) {
            LOG.warnf("OIDC token not verifiable, the issuer is unreachable: %s", describe(t));
            return new ApiError(503, "api_error", "auth_unavailable", null,
                    "The gateway cannot verify OIDC tokens right now; please retry.", null)
                    .withHeader("retry-after", "1").exception();
        }
        // the reason only at debug level, and only exception classes: messages may quote claims
        LOG.debugf("OIDC token refused: %s", describe(t));
        return invalidToken("The bearer token is invalid, expired, or not issued for this gateway.").exception();
    }

    /** Connection problems, timeouts and the issuer's own endpoint failures, anywhere in the cause chain. */
    static boolean issuerUnreachable(Throwable t) {
        for (Throwable c = t; c != null; c = c.getCause() == c ? null : c.getCause()) {
            if (c instanceof ConnectException || c instanceof UnknownHostException || c instanceof NoRouteToHostException
                    || c instanceof TimeoutException || c instanceof OIDCException
                    || c.getClass().getSimpleName().equals("OidcEndpointAccessException")
                    || c.getClass().getSimpleName().equals("ConnectTimeoutException")) {
                return true;
            }
        }
        return false;
    }

    private static String describe(Throwable t) {
        StringBuilder b = new StringBuilder();
        for (Throwable c = t; c != null && b.length() < 300; c = c.getCause() == c ? null : c.getCause()) {
            b.append(b.length() == 0 ? "" : " <- ").append(c.getClass().getSimpleName());
        }
        return b.toString();
    }

    static ApiError invalidToken(String message) {
        return new ApiError(401, "invalid_request_error", "invalid_token", null, message, null)
                .withHeader("x-should-retry", "false");
    }

    private static String string(Object claim) {
        if (claim == null) {
            return null;
        }
        if (claim instanceof JsonString s) {
            return s.getString();
        }
        if (claim instanceof JsonNumber n) {
            return n.toString();
        }
        if (claim instanceof JsonValue) {
            return null;
        }
        return claim.toString();
    }

    private static void addAll(Set<String> roles, Object claim) {
        if (claim instanceof JsonArray a) {
            for (JsonValue v : a) {
                String s = string(v);
                if (s != null && !s.isBlank()) {
                    roles.add(s);
                }
            }
        } else if (claim instanceof Collection<?> c) {
            for (Object v : c) {
                String s = string(v);
                if (s != null && !s.isBlank()) {
                    roles.add(s);
                }
            }
        } else if (claim != null) {
            String s = string(claim);
            if (s != null && !s.isBlank()) {
                roles.add(s);
            }
        }
    }
}
