package io.aigateway.edge.generate;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** The native generate API ({@code POST /api/v1/ai/generate}). */
@ConfigMapping(prefix = "aigw.edge.generate")
public interface GenerateConfig {

    /** The model (a model name or a group) when the request names neither {@code model} nor {@code provider}. */
    @WithDefault("chat-default")
    String defaultModel();
}
