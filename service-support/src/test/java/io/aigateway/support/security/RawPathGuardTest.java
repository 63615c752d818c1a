package io.aigateway.support.security;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

class RawPathGuardTest {

    @ParameterizedTest
    @ValueSource(strings = {"/", "/internal/v1/route/chat", "/internal/v1/usage?userId=a;b&x=%2F", "/v1/models",
            "/api/v1/ai/preferences/writing_1", "/q/health/ready", "/internal/v1/keys/ab12", "/a%20b", "/caf%C3%A9",
            "/q/swagger-ui/"})
    void canonicalTargetsPass(String uri) {
        assertNull(RawPathGuard.rejectReason(uri), uri);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "*", "http://h/internal/v1/x", "internal/v1", "/internal;x/v1", "/internal/v1;x",
            "/internal%2Fv1", "/internal%2fv1", "/x/%2e%2e/internal", "/x/%2E./internal", "/x/../internal", "/./internal",
            "/internal/.", "/internal/..", "//internal", "/internal//v1", "/internal/", "/%69nternal", "/internal%5Cv1",
            "/internal\\v1", "/a%00b", "/a%0d%0ab", "/a%2", "/a%zz", "/a%3bb", "/a b", "/a\u00e9", "/q/swagger-ui//", "/q/swagger-ui/../",
            "/q/openapi/", "/Q/SWAGGER-UI/", "/q/swagger-ui/x/"})
    void ambiguousTargetsAreRefused(String uri) {
        assertNotNull(RawPathGuard.rejectReason(uri), uri);
    }
}
