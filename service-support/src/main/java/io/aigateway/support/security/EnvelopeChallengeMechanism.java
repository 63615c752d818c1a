package io.aigateway.support.security;

import io.quarkus.vertx.http.runtime.security.ChallengeData;
import io.quarkus.vertx.http.runtime.security.HttpAuthenticationMechanism;
import io.smallrye.mutiny.Uni;
import io.vertx.ext.web.RoutingContext;

/**
 * What every mechanism of ours answers when a request has no (valid) credential: 401 in the OpenAI envelope
 * ({@link SecurityResponses#unauthorized}), whichever mechanism Quarkus asks for the challenge.
 */
public abstract class EnvelopeChallengeMechanism implements HttpAuthenticationMechanism {

    @Override
    public Uni<ChallengeData> getChallenge(RoutingContext context) {
        return Uni.createFrom().item(new ChallengeData(401, null, null));
    }

    @Override
    public Uni<Boolean> sendChallenge(RoutingContext context) {
        SecurityResponses.unauthorized(context);
        return Uni.createFrom().item(Boolean.TRUE);
    }
}
