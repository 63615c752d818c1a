package io.aigateway.admin.support;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.core.WireMockConfiguration;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.smallrye.jwt.build.Jwt;

import java.math.BigInteger;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.NoSuchAlgorithmException;
import java.security.PrivateKey;
import java.security.interfaces.RSAPublicKey;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;

/**
 * A Keycloak-like token issuer for the tests (no Keycloak, no Docker): WireMock on a free port serves the realm's
 * discovery document and JWKS for an RSA key generated here; {@link #token} signs access tokens with it (or with
 * another key, for the "foreign signature" case). Sets {@code aigw.oidc.issuer}.
 */
public class OidcIssuerResource implements QuarkusTestResourceLifecycleManager {

    public static final String REALM_PATH = "/realms/aigw";
    private static final KeyPair KEY = rsa();
    private static final KeyPair OTHER_KEY = rsa();
    private static volatile String issuer;
    private WireMockServer server;

    @Override
    public Map<String, String> start() {
        server = new WireMockServer(WireMockConfiguration.options().dynamicPort());
        server.start();
        issuer = "http://127.0.0.1:" + server.port() + REALM_PATH;
        server.stubFor(get(urlEqualTo(REALM_PATH + "/.well-known/openid-configuration"))
                .willReturn(aResponse().withHeader("Content-Type", "application/json").withBody("""
                        {"issuer":"%1$s","jwks_uri":"%1$s/protocol/openid-connect/certs",
                         "token_endpoint":"%1$s/protocol/openid-connect/token",
                         "authorization_endpoint":"%1$s/protocol/openid-connect/auth",
                         "id_token_signing_alg_values_supported":["RS256"]}""".formatted(issuer))));
        RSAPublicKey pub = (RSAPublicKey) KEY.getPublic();
        server.stubFor(get(urlEqualTo(REALM_PATH + "/protocol/openid-connect/certs"))
                .willReturn(aResponse().withHeader("Content-Type", "application/json").withBody("""
                        {"keys":[{"kid":"k1","kty":"RSA","alg":"RS256","use":"sig","n":"%s","e":"%s"}]}"""
                        .formatted(b64(pub.getModulus()), b64(pub.getPublicExponent())))));
        return Map.of("aigw.oidc.issuer", issuer);
    }

    @Override
    public void stop() {
        if (server != null) {
            server.stop();
        }
    }

    public static String issuer() {
        return issuer;
    }

    /** A valid access token of this user with these realm roles. */
    public static String token(String sub, String username, List<String> roles) {
        return token(sub, username, roles, "aigw", Instant.now().plusSeconds(300), false);
    }

    public static String token(String sub, String username, List<String> roles, String audience, Instant expiresAt,
                               boolean foreignKey) {
        var claims = Jwt.issuer(issuer).subject(sub).audience(audience)
                .claim("realm_access", Map.of("roles", roles))
                .issuedAt(expiresAt.minusSeconds(600)).expiresAt(expiresAt);
        if (username != null) {
            claims.claim("preferred_username", username);
        }
        PrivateKey key = foreignKey ? OTHER_KEY.getPrivate() : KEY.getPrivate();
        return claims.jws().keyId("k1").sign(key);
    }

    private static String b64(BigInteger n) {
        byte[] bytes = n.toByteArray();
        if (bytes.length > 1 && bytes[0] == 0) {
            bytes = java.util.Arrays.copyOfRange(bytes, 1, bytes.length);
        }
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    private static KeyPair rsa() {
        try {
            KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
            g.initialize(2048);
            return g.generateKeyPair();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
