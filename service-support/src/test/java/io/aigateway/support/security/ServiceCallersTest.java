package io.aigateway.support.security;

import org.junit.jupiter.api.Test;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

class ServiceCallersTest {

    record C(Optional<String> token, Optional<String> tokenSha256, Optional<List<String>> roles)
            implements ServiceAuthConfig.Caller {
    }

    private static ServiceCallers callers(Map<String, ServiceAuthConfig.Caller> map) {
        return new ServiceCallers(new ServiceAuthConfig() {
            @Override
            public Optional<String> token() {
                return Optional.empty();
            }

            @Override
            public boolean acceptCallers() {
                return true;
            }

            @Override
            public Map<String, Caller> callers() {
                return map;
            }
        });
    }

    @Test
    void matchesByClearOrHashedSecretAndGivesTheServiceRole() {
        Map<String, ServiceAuthConfig.Caller> m = new LinkedHashMap<>();
        m.put("edge", new C(Optional.of("edge-secret-0123456789"), Optional.empty(), Optional.empty()));
        m.put("admin", new C(Optional.empty(), Optional.of(ServiceCallers.sha256Hex("admin-secret-0123456789")),
                Optional.of(List.of("extra"))));
        m.put("ops", new C(Optional.of(""), Optional.empty(), Optional.empty()));
        ServiceCallers c = callers(m);
        assertEquals("edge", c.match("edge-secret-0123456789").name());
        assertEquals(Set.of("service:edge"), c.match("edge-secret-0123456789").roles());
        assertEquals(Set.of("service:admin", "extra"), c.match("admin-secret-0123456789").roles());
        assertNull(c.match("edge-secret-012345678"));
        assertNull(c.match(""));
        assertNull(c.match(null));
        assertEquals(2, c.all().size(), "a caller without a secret here cannot authenticate");
    }

    @Test
    void refusesWeakOrMalformedSecrets() {
        assertThrows(IllegalStateException.class, () -> callers(Map.of("edge",
                new C(Optional.of("short"), Optional.empty(), Optional.empty()))));
        assertThrows(IllegalStateException.class, () -> callers(Map.of("edge",
                new C(Optional.empty(), Optional.of("abc"), Optional.empty()))));
        assertThrows(IllegalStateException.class, () -> callers(Map.of("Bad Name",
                new C(Optional.of("0123456789abcdef"), Optional.empty(), Optional.empty()))));
    }
}
