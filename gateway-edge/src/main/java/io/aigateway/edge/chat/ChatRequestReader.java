package io.aigateway.edge.chat;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonStreamContext;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.json.JsonWriteFeature;
import com.fasterxml.jackson.core.util.JsonParserDelegate;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.cfg.JsonNodeFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.aigateway.contracts.error.ApiError;
import io.aigateway.contracts.openai.ChatCompletionRequest;
import io.aigateway.contracts.text.LogSafe;
import io.aigateway.edge.config.EdgeConfig;
import io.vertx.core.buffer.Buffer;
import jakarta.enterprise.context.ApplicationScoped;

import java.io.IOException;

/**
 * Reads a chat completion body strictly and writes what it validated.
 *
 * <p>Reading (a dedicated Jackson mapper; the application's ObjectMapper is not changed): exactly one JSON
 * value, an object (anything after it, {@code {...} GARBAGE} or {@code {..}{..}} → 400 {@code invalid_json});
 * duplicate keys at any depth → 400 {@code duplicate_key} with the key's path as {@code param}; at most
 * {@code aigw.edge.limits.max-json-depth} nested objects/arrays → else 400 {@code json_too_deep}; at most
 * {@code aigw.edge.limits.max-json-fields} object members plus array elements in the whole document, counted
 * while parsing so that an oversized tree is never built → else 400 {@code too_many_json_fields}. Numbers are
 * kept exactly: decimals as {@code BigDecimal} with their scale ({@code 0.70} stays {@code 0.70}), big
 * integers as {@code BigInteger}. Then {@link ChatCompletionRequest#validate(ChatCompletionRequest.Limits)}
 * with the configured caps.
 *
 * <p>Writing: routing-service receives the validated tree serialised again (field order kept, numbers exact;
 * an exponent may be spelled differently, {@code 1e3} → {@code 1E+3}), never the client's bytes, so that
 * what routing reads is exactly what was checked here.
 */
@ApplicationScoped
public class ChatRequestReader {

    static final String TRAILING = "The request body must be exactly one JSON object; found more after its end.";
    static final String NOT_JSON = "We could not parse the JSON body of your request. (HINT: This likely means you "
            + "aren't using your HTTP library correctly. The OpenAI API expects a JSON payload.)";
    private static final int PARAM_MAX = 128;

    private final ObjectMapper strict;
    private final int maxFields;
    private final int maxDepth;
    private final ChatCompletionRequest.Limits limits;

    public ChatRequestReader(EdgeConfig config) {
        EdgeConfig.Limits l = config.limits();
        this.maxFields = l.maxJsonFields();
        this.maxDepth = l.maxJsonDepth();
        this.limits = new ChatCompletionRequest.Limits(l.maxModelLength(), l.maxUserLength(),
                l.maxIdentifierLength(), l.maxTokensCap());
        JsonFactory factory = JsonFactory.builder()
                .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
                // characters outside the BMP as UTF-8, as clients send them (unpaired surrogates stay escaped)
                .enable(JsonWriteFeature.COMBINE_UNICODE_SURROGATES_IN_UTF8)
                // our own depth check (CountingParser) answers first; this is the parser's backstop
                .streamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(maxDepth + 1).build())
                .build();
        this.strict = JsonMapper.builder(factory)
                .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
                .disable(JsonNodeFeature.STRIP_TRAILING_BIGDECIMAL_ZEROES)
                .build();
    }

    /**
     * @return the parsed and validated request
     * @throws io.aigateway.contracts.error.ApiException 400 in the OpenAI envelope for anything not accepted
     */
    public ChatCompletionRequest read(Buffer body) {
        return validated(readObject(body));
    }

    /**
     * The body as a JSON object, read with the strict rules above (one value, no duplicate keys, depth and size
     * limits, exact numbers), not yet validated as a chat request.
     *
     * @throws io.aigateway.contracts.error.ApiException 400 in the OpenAI envelope
     */
    public ObjectNode readObject(Buffer body) {
        JsonNode tree;
        try (CountingParser p = new CountingParser(strict.createParser(body.getBytes()), maxFields, maxDepth)) {
            tree = strict.readTree(p);
            if (tree != null) {
                JsonToken after;
                try {
                    after = p.nextToken();
                } catch (JsonParseException e) {
                    after = JsonToken.NOT_AVAILABLE;
                }
                if (after != null) {
                    throw ApiError.badRequest(TRAILING, null, "invalid_json").exception();
                }
            }
        } catch (LimitExceeded e) {
            throw e.error.exception();
        } catch (JsonParseException e) {
            String msg = e.getOriginalMessage();
            JsonParser jp = e.getProcessor();
            if (msg != null && msg.startsWith("Duplicate field") && jp != null) {
                String param = LogSafe.escape(paramOf(jp.getParsingContext()), PARAM_MAX);
                throw ApiError.badRequest("The JSON body has a duplicate key: '" + param + "'. Each key may "
                        + "appear once per object.", param, "duplicate_key").exception();
            }
            throw ApiError.badRequest(NOT_JSON, null, "invalid_json").exception();
        } catch (IOException e) {
            // other JsonProcessingExceptions (bad UTF-8, number too long, ...); nothing else reads here
            throw ApiError.badRequest(NOT_JSON, null, "invalid_json").exception();
        }
        if (tree == null || !tree.isObject()) {
            throw ApiError.badRequest("The request body must be a JSON object.", null, "invalid_json").exception();
        }
        return (ObjectNode) tree;
    }

    /**
     * A chat request checked with the configured caps.
     *
     * @throws io.aigateway.contracts.error.ApiException 400 in the OpenAI envelope
     */
    public ChatCompletionRequest validated(ObjectNode tree) {
        ChatCompletionRequest chat = new ChatCompletionRequest(tree);
        ApiError invalid = chat.validate(limits);
        if (invalid != null) {
            throw invalid.exception();
        }
        return chat;
    }

    /** The validated request as routing-service receives it. */
    public Buffer write(ChatCompletionRequest chat) {
        try {
            return Buffer.buffer(strict.writeValueAsBytes(chat.body()));
        } catch (JsonProcessingException e) {
            // a tree parsed by Jackson always serialises (unpaired surrogates are written as \-u escapes)
            throw new IllegalStateException("validated request not serialisable", e);
        }
    }

    /** {@code messages[1].tool_calls[0].id}-style path of the parser's current position. */
    static String paramOf(JsonStreamContext ctx) {
        StringBuilder sb = new StringBuilder();
        build(ctx, sb);
        return sb.toString();
    }

    private static void build(JsonStreamContext ctx, StringBuilder sb) {
        if (ctx == null || ctx.inRoot()) {
            return;
        }
        build(ctx.getParent(), sb);
        if (ctx.inArray()) {
            sb.append('[').append(Math.max(0, ctx.getCurrentIndex())).append(']');
        } else if (ctx.getCurrentName() != null) {
            if (!sb.isEmpty()) {
                sb.append('.');
            }
            sb.append(ctx.getCurrentName());
        }
    }

    /** A limit of the document's shape was exceeded; carries the 400 to answer. */
    static final class LimitExceeded extends JsonProcessingException {
        final transient ApiError error;

        LimitExceeded(ApiError error) {
            super(error.message());
            this.error = error;
        }
    }

    /**
     * Counts object members and array elements as the tree is read, and checks the nesting depth, so that
     * the count stops the parse at the limit instead of after building the whole tree.
     */
    static final class CountingParser extends JsonParserDelegate {
        private final int maxFields;
        private final int maxDepth;
        private int fields;

        CountingParser(JsonParser delegate, int maxFields, int maxDepth) {
            super(delegate);
            this.maxFields = maxFields;
            this.maxDepth = maxDepth;
        }

        @Override
        public JsonToken nextToken() throws IOException {
            JsonToken t = super.nextToken();
            if (t == null || t == JsonToken.END_OBJECT || t == JsonToken.END_ARRAY) {
                return t;
            }
            JsonStreamContext ctx = getParsingContext();
            if (t.isStructStart()) {
                if (ctx.getNestingDepth() > maxDepth) {
                    throw new LimitExceeded(ApiError.badRequest("The JSON body is nested deeper than " + maxDepth
                            + " levels.", null, "json_too_deep"));
                }
                ctx = ctx.getParent();
            }
            if (t == JsonToken.FIELD_NAME || (ctx != null && ctx.inArray())) {
                if (++fields > maxFields) {
                    throw new LimitExceeded(ApiError.badRequest("The JSON body has more than " + maxFields
                            + " object members and array elements.", null, "too_many_json_fields"));
                }
            }
            return t;
        }

        @Override
        public JsonToken nextValue() throws IOException {
            JsonToken t = nextToken();
            return t == JsonToken.FIELD_NAME ? nextToken() : t;
        }
    }
}
