package io.aigateway.usage.web;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.aigateway.contracts.quota.QuotaLimits;
import io.quarkus.jackson.ObjectMapperCustomizer;
import jakarta.inject.Singleton;

/**
 * {@link QuotaLimits#isEmpty()} reads as a bean property to Jackson and would add {@code "empty":true} to every
 * limits object on the wire; this service writes limits only through this mapper, so it hides it here.
 */
@Singleton
public class JsonCustomizer implements ObjectMapperCustomizer {

    @JsonIgnoreProperties({"empty"})
    private abstract static class QuotaLimitsMixin {
    }

    @Override
    public void customize(ObjectMapper mapper) {
        mapper.addMixIn(QuotaLimits.class, QuotaLimitsMixin.class);
    }
}
