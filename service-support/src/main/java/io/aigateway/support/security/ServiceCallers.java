package io.aigateway.support.security;

import io.aigateway.contracts.internal.KeyHashing;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The accepted callers of this service, each as the SHA-256 of its secret. A presented token is hashed and compared
 * with every caller's hash in constant time (all of them, whatever matched), so timing tells nothing about which
 * caller, or how much of a secret, matched.
 */
@ApplicationScoped
public class ServiceCallers {

    /** Role prefix of an authenticated service: {@code service:edge}. */
    public static final String ROLE_PREFIX = "service:";
    public static final String NAME_PATTERN = "[a-z][a-z0-9-]{0,31}";
    private static final Logger LOG = Logger.getLogger(ServiceCallers.class);

    /** One accepted caller. */
    public record Caller(String name, byte[] sha256, Set<String> roles) {
    }

    private final List<Caller> callers;

    public ServiceCallers(ServiceAuthConfig config) {
        this.callers = config.acceptCallers() ? build(config.callers()) : List.of();
        if (callers.isEmpty()) {
            LOG.info("No service callers configured: every internal route answers 401");
        } else {
            LOG.infof("Service callers accepted: %s", callers.stream().map(Caller::name).toList());
        }
    }

    static List<Caller> build(Map<String, ServiceAuthConfig.Caller> configured) {
        List<Caller> out = new ArrayList<>();
        for (Map.Entry<String, ServiceAuthConfig.Caller> e : configured.entrySet()) {
            String name = e.getKey();
            if (!name.matches(NAME_PATTERN)) {
                throw new IllegalStateException("aigw.service-auth.callers: invalid caller name '" + name + "'");
            }
            ServiceAuthConfig.Caller c = e.getValue();
            Optional<String> clear = c.token().filter(t -> !t.isBlank());
            Optional<String> hashed = c.tokenSha256().filter(t -> !t.isBlank());
            byte[] hash;
            if (hashed.isPresent()) {
                String hex = hashed.get().strip().toLowerCase();
                if (!hex.matches("[0-9a-f]{64}")) {
                    throw new IllegalStateException("aigw.service-auth.callers." + name + ".token-sha256 is not 64 hex digits");
                }
                hash = HexFormat.of().parseHex(hex);
            } else if (clear.isPresent()) {
                if (clear.get().length() < 16) {
                    throw new IllegalStateException("aigw.service-auth.callers." + name + ".token is shorter than 16 characters");
                }
                hash = sha256(clear.get());
            } else {
                continue; // declared but not provisioned here: this caller cannot authenticate
            }
            Set<String> roles = new LinkedHashSet<>();
            roles.add(ROLE_PREFIX + name);
            c.roles().ifPresent(roles::addAll);
            out.add(new Caller(name, hash, Set.copyOf(roles)));
        }
        return List.copyOf(out);
    }

    /** The caller whose secret this is, or null. */
    public Caller match(String presented) {
        if (presented == null || presented.isEmpty() || presented.length() > 512) {
            return null;
        }
        byte[] hash = sha256(presented);
        Caller found = null;
        for (Caller c : callers) {
            if (MessageDigest.isEqual(c.sha256(), hash) && found == null) {
                found = c;
            }
        }
        return found;
    }

    public List<Caller> all() {
        return callers;
    }

    static byte[] sha256(String s) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Hex SHA-256 of a secret, as {@code token-sha256} expects it. */
    public static String sha256Hex(String secret) {
        return KeyHashing.sha256Hex(secret);
    }
}
