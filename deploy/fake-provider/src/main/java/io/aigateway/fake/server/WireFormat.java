package io.aigateway.fake.server;

/**
 * One provider wire format (OpenAI, Ollama, Anthropic, TGI, Gemini). A format registers its routes, relative
 * to the upstream prefix, e.g. {@code POST /v1/chat/completions} served at {@code /{upstream}/v1/chat/completions}.
 */
public interface WireFormat {
    void register(Routes routes);
}
