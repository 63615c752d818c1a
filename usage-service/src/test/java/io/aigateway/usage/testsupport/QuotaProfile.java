package io.aigateway.usage.testsupport;

import io.quarkus.test.junit.QuarkusTestProfile;

import java.util.List;

/** The quota tests' app (one start for all of them): alerts also POSTed to {@link WebhookRecorder}. */
public class QuotaProfile implements QuarkusTestProfile {

    @Override
    public List<TestResourceEntry> testResources() {
        return List.of(new TestResourceEntry(WebhookRecorder.class));
    }
}
