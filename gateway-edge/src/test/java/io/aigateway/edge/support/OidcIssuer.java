package io.aigateway.edge.support;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.core.WireMockConfiguration;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import org.jose4j.jwk.JsonWebKey;
import org.jose4j.jwk.JsonWebKeySet;
import org.jose4j.jwk.RsaJsonWebKey;
import org.jose4j.jwk.RsaJwkGenerator;
import org.jose4j.jws.AlgorithmIdentifiers;
import org.jose4j.jws.JsonWebSignature;
import org.jose4j.jwt.JwtClaims;
import org.jose4j.lang.JoseException;

import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;

/**
 * A stand-in OIDC issuer (Keycloak realm {@code aigw}): WireMock on a dynamic port serving the discovery document
 * and the JWKS of an RSA key generated here; {@link #token} signs access tokens with it (RS256, Keycloak's claim
 * layout). {@link #foreignToken} signs with another key under the same key id.
 */
public class OidcIssuer implements QuarkusTestResourceLifecycleManager {

    public static final String REALM_PATH = "/realms/aigw";
    private static volatile WireMockServer server;
    private static volatile RsaJsonWebKey key;
    private static volatile RsaJsonWebKey otherKey;

    public static String issuer() {
        return server.baseUrl() + REALM_PATH;
    }

    public static WireMockServer server() {
        return server;
    }

    @Override
    public Map<String, String> start() {
        try {
            key = RsaJwkGenerator.generateJwk(2048);
            key.setKeyId("test-key");
            otherKey = RsaJwkGenerator.generateJwk(2048);
            otherKey.setKeyId("test-key");
        } catch (JoseException e) {
            throw new IllegalStateException(e);
        }
        server = new WireMockServer(WireMockConfiguration.options().dynamicPort());
        server.start();
        String iss = issuer();
        server.stubFor(get(urlEqualTo(REALM_PATH + "/.well-known/openid-configuration"))
                .willReturn(aResponse().withHeader("content-type", "application/json").withBody("{"
                        + "\"issuer\":\"" + iss + "\","
                        + "\"jwks_uri\":\"" + iss + "/protocol/openid-connect/certs\","
                        + "\"token_endpoint\":\"" + iss + "/protocol/openid-connect/token\","
                        + "\"authorization_endpoint\":\"" + iss + "/protocol/openid-connect/auth\","
                        + "\"id_token_signing_alg_values_supported\":[\"RS256\"]}")));
        server.stubFor(get(urlEqualTo(REALM_PATH + "/protocol/openid-connect/certs"))
                .willReturn(aResponse().withHeader("content-type", "application/json")
                        .withBody(new JsonWebKeySet(key).toJson(JsonWebKey.OutputControlLevel.PUBLIC_ONLY))));
        return Map.of("AIGW_OIDC_ISSUER", iss);
    }

    @Override
    public void stop() {
        if (server != null) {
            server.stop();
        }
    }

    /** A valid token for {@code sub} with realm roles {@code roles}, changed by {@code customize}. */
    public static String token(String sub, List<String> roles, Consumer<JwtClaims> customize) {
        return sign(key, claims(issuer(), sub, roles, customize));
    }

    public static String token(String sub, List<String> roles) {
        return token(sub, roles, c -> { });
    }

    /** Right claims, wrong key (same key id): the signature does not verify. */
    public static String foreignToken(String sub, List<String> roles) {
        return sign(otherKey, claims(issuer(), sub, roles, c -> { }));
    }

    /** Claims as Keycloak issues them, for tests that sign with their own key. */
    public static JwtClaims claims(String iss, String sub, List<String> roles, Consumer<JwtClaims> customize) {
        JwtClaims c = new JwtClaims();
        c.setIssuer(iss);
        c.setAudience("aigw");
        c.setSubject(sub);
        c.setIssuedAtToNow();
        c.setExpirationTimeMinutesInTheFuture(5);
        c.setGeneratedJwtId();
        c.setClaim("typ", "Bearer");
        c.setClaim("azp", "aigw-cli");
        c.setClaim("preferred_username", "someone");
        c.setClaim("realm_access", Map.of("roles", roles));
        customize.accept(c);
        return c;
    }

    /** Signs with a fresh key nobody publishes (for tests without this resource). */
    public static String selfSigned(JwtClaims claims) {
        try {
            RsaJsonWebKey k = RsaJwkGenerator.generateJwk(2048);
            k.setKeyId("test-key");
            return sign(k, claims);
        } catch (JoseException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String sign(RsaJsonWebKey k, JwtClaims claims) {
        JsonWebSignature jws = new JsonWebSignature();
        jws.setPayload(claims.toJson());
        jws.setKey(k.getPrivateKey());
        jws.setKeyIdHeaderValue(k.getKeyId());
        jws.setAlgorithmHeaderValue(AlgorithmIdentifiers.RSA_USING_SHA256);
        jws.setHeader("typ", "JWT");
        try {
            return jws.getCompactSerialization();
        } catch (JoseException e) {
            throw new IllegalStateException(e);
        }
    }
}
