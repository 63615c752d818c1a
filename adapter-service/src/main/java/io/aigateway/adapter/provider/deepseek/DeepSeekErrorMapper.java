package io.aigateway.adapter.provider.deepseek;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.aigateway.adapter.provider.wire.ProviderErrorMapper;
import io.aigateway.contracts.error.ErrorClass;

/**
 * DeepSeek's error codes (api-docs.deepseek.com "Error Codes"): 400 invalid format, 401 authentication
 * fails, 402 insufficient balance, 422 invalid parameters, 429 rate limit, 500 server error, 503 server
 * overloaded; OpenAI-style bodies. The status decides; the message refines answers without a usable status
 * (in-stream error chunks).
 */
public class DeepSeekErrorMapper extends ProviderErrorMapper {

    public DeepSeekErrorMapper(ObjectMapper mapper) {
        super(mapper);
    }

    @Override
    protected ErrorClass refineError(ErrorClass base, int status, JsonNode error) {
        ErrorClass refined = super.refineError(base, status, error);
        if (refined != base || error == null || !error.isObject()) {
            return refined;
        }
        String message = lower(text(error.get("message")));
        if (message == null) {
            return base;
        }
        if (message.contains("insufficient balance")) {
            return ErrorClass.INSUFFICIENT_CREDIT;
        }
        if (status == 0 && (message.contains("server overloaded") || message.contains("server is busy"))) {
            return ErrorClass.OVERLOADED;
        }
        return base;
    }
}
