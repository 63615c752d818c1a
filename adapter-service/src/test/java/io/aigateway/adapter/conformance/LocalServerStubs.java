package io.aigateway.adapter.conformance;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;

import java.util.List;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;

/**
 * A self-hosted OpenAI-format server (vLLM, llama.cpp): chat as OpenAI, health at {@code {root}/health},
 * models at {@code {root}/v1/models}. Sources: PROVIDERS.md "vLLM" and "llama.cpp server"; vLLM docs
 * "OpenAI-Compatible Server"; llama.cpp tools/server/README.md ("GET /health", "GET /v1/models").
 */
public class LocalServerStubs extends OpenAiWireStubs {

    public enum Server { VLLM, LLAMACPP }

    private final Server type;
    private final String healthPath;

    public LocalServerStubs(WireMockServer server, String rootPath, String model, Server type) {
        super(server, rootPath + "/v1", model);
        this.type = type;
        this.healthPath = rootPath + "/health";
    }

    /** Health: vLLM 200 with an empty body; llama.cpp 200 {"status":"ok"}, 503 "Loading model" while loading. */
    @Override
    public void health(int status) {
        String body;
        if (type == Server.VLLM) {
            body = "";
        } else if (status == 200) {
            body = "{\"status\":\"ok\"}";
        } else {
            body = "{\"error\":{\"code\":503,\"message\":\"Loading model\",\"type\":\"unavailable_error\"}}";
        }
        server.stubFor(get(urlEqualTo(healthPath)).willReturn(aResponse().withStatus(status)
                .withHeader("Content-Type", "application/json").withBody(body)));
        models(List.of(model));
    }

    /** The server's {@code /v1/models}: vLLM adds max_model_len; llama.cpp owned_by "llamacpp" (+ meta). */
    public void models(List<String> ids) {
        StringBuilder data = new StringBuilder();
        for (String id : ids) {
            if (data.length() > 0) {
                data.append(',');
            }
            data.append(type == Server.VLLM
                    ? "{\"id\":" + quote(id) + ",\"object\":\"model\",\"created\":1735689600,\"owned_by\":\"vllm\","
                    + "\"root\":" + quote(id) + ",\"parent\":null,\"max_model_len\":32768,\"permission\":[]}"
                    : "{\"id\":" + quote(id) + ",\"object\":\"model\",\"created\":1735689600,\"owned_by\":\"llamacpp\","
                    + "\"meta\":{\"vocab_type\":2,\"n_vocab\":152064,\"n_ctx_train\":32768,\"n_embd\":3584,\"n_params\":7615616512,\"size\":4677120000}}");
        }
        server.stubFor(get(urlEqualTo(modelsPath)).willReturn(aResponse().withStatus(200)
                .withHeader("Content-Type", "application/json")
                .withBody("{\"object\":\"list\",\"data\":[" + data + "]}")));
    }

    @Override
    public List<LoggedRequest> healthRequests() {
        List<LoggedRequest> all = new java.util.ArrayList<>(server.findAll(getRequestedFor(urlEqualTo(healthPath))));
        all.addAll(server.findAll(getRequestedFor(urlEqualTo(modelsPath))));
        return all;
    }
}
