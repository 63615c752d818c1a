package io.aigateway.adapter.conformance;

import com.github.tomakehurst.wiremock.verification.LoggedRequest;

import java.util.List;
import java.util.Map;

/**
 * What a provider kind's upstream must be able to do for the conformance suite, in that provider's own
 * wire format. One implementation per wire format (OpenAI now; Anthropic, TGI, Ollama later).
 */
public interface ProviderStubs {

    void reset();

    /** A one-shot answer with counted usage; returns the exact body served. */
    String chatJson(String content, int promptTokens, int completionTokens);

    /** A one-shot answer calling one tool with these JSON arguments (text). */
    void chatJsonToolCall(String name, String argumentsJson);

    /** A one-shot answer without usage; returns the exact body served. */
    String chatJsonWithoutUsage(String content);

    /** A stream of the given content pieces, with usage counted by the provider; keep-alive comments in between if asked. */
    void chatStream(List<String> pieces, int promptTokens, int completionTokens, boolean keepAlives);

    /** A stream without a usage chunk. */
    void chatStreamWithoutUsage(List<String> pieces);

    /** A stream that sends one content chunk, then an in-stream error. */
    void chatStreamErrorAfterFirstChunk();

    /** A stream whose second chunk is not JSON. */
    void chatStreamMalformedChunk();

    /** Only keep-alive comments, for longer than the first-byte timeout. */
    void chatStreamOnlyKeepAlives(int totalMs);

    /** One data chunk, then only keep-alives for longer than the between-chunks timeout. */
    void chatStreamStallsAfterFirstChunk(int totalMs);

    /** An error answer in the provider's format. */
    void error(int status, String type, String code, String message, Map<String, String> headers);

    /** A valid answer that only starts after {@code delayMs}. */
    void delayed(int delayMs);

    /** The connection is reset instead of an answer. */
    void connectionReset();

    /** A 2xx answer whose body is not JSON. */
    void malformedJson();

    /** The health probe's answer. */
    void health(int status);

    /** Chat requests the upstream received. */
    List<LoggedRequest> chatRequests();

    /** Health probes the upstream received. */
    List<LoggedRequest> healthRequests();
}
