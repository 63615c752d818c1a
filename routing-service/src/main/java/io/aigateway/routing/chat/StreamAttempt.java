package io.aigateway.routing.chat;

import io.aigateway.routing.adapter.AttemptFailure;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.aigateway.contracts.error.ErrorClass;
import io.aigateway.contracts.error.ProviderError;
import io.aigateway.contracts.internal.AigwHeaders;
import io.aigateway.contracts.internal.SseParser;
import io.aigateway.contracts.openai.Chunks;
import io.aigateway.contracts.usage.StreamUsage;
import io.aigateway.routing.adapter.AdapterClient;
import io.aigateway.routing.adapter.CallerHeaders;
import io.aigateway.routing.route.Candidate;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.subscription.UniEmitter;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.RequestOptions;

import java.util.ArrayList;
import java.util.List;

/**
 * One streamed call to the adapter. Until the first content chunk the answer is held (role-only chunks
 * kept), and any failure fails the Uni so the router can fall back. At the first content the Uni
 * completes with this attempt; the relay then {@link #attach attaches} its {@link Sink} and every later
 * chunk is passed on as it arrives. Named events ({@code aigw-usage}, {@code aigw-error}) are consumed
 * here. All callbacks run on the request's event-loop context.
 */
final class StreamAttempt {

    /** Where the chunks of a started stream go. */
    interface Sink {
        /** @return true when the client's write queue is full (the upstream gets paused) */
        boolean chunk(String data);

        void done();

        void error(ProviderError error);
    }

    private enum State { HOLDING, STARTED, PASSING, DONE }

    private final Vertx vertx;
    private final AdapterClient adapter;
    private final ObjectMapper mapper;
    private final Candidate candidate;
    private final Buffer body;
    private final CallerHeaders caller;
    private final long firstContentTimeoutMs;
    private final long idleTimeoutMs;
    private final SseParser parser = new SseParser();
    private final List<String> held = new ArrayList<>(2);
    private List<SseParser.Event> backlog;
    private State state = State.HOLDING;
    private UniEmitter<? super StreamAttempt> emitter;
    private HttpClientRequest request;
    private HttpClientResponse response;
    private Sink sink;
    private StreamUsage usage;
    private long timerId = -1;
    private long lastChunkNanos;
    private boolean upstreamEnded;

    StreamAttempt(Vertx vertx, AdapterClient adapter, ObjectMapper mapper, Candidate candidate, Buffer body,
                  CallerHeaders caller, long firstContentTimeoutMs, long idleTimeoutMs) {
        this.vertx = vertx;
        this.adapter = adapter;
        this.mapper = mapper;
        this.candidate = candidate;
        this.body = body;
        this.caller = caller;
        this.firstContentTimeoutMs = firstContentTimeoutMs;
        this.idleTimeoutMs = idleTimeoutMs;
    }

    Candidate candidate() {
        return candidate;
    }

    /** The adapter's {@code aigw-usage}, or null when it did not (yet) arrive. */
    StreamUsage usage() {
        return usage;
    }

    Uni<StreamAttempt> start() {
        return Uni.createFrom().emitter(em -> {
            this.emitter = em;
            em.onTermination(() -> {
                if (state == State.HOLDING) {
                    abort();
                }
            });
            timerId = vertx.setTimer(firstContentTimeoutMs, id -> {
                timerId = -1;
                failBeforeStart(ProviderErrors.timeout(candidate,
                        "no content from " + candidate.providerId() + " within " + firstContentTimeoutMs + " ms"));
            });
            RequestOptions o = adapter.chatRequest(candidate.providerId(), true, caller);
            adapter.open(o).onComplete(ar -> {
                if (ar.failed()) {
                    failBeforeStart(ProviderErrors.fromHop(candidate, ar.cause()));
                    return;
                }
                if (state == State.DONE) {
                    ar.result().reset();
                    return;
                }
                request = ar.result();
                request.send(body).onComplete(rar -> {
                    if (rar.failed()) {
                        onHopFailure(rar.cause());
                    } else {
                        onResponse(rar.result());
                    }
                });
            });
        });
    }

    private void onResponse(HttpClientResponse resp) {
        if (state == State.DONE) {
            return;
        }
        this.response = resp;
        int status = resp.statusCode();
        if (status < 200 || status >= 300) {
            resp.body().onComplete(bar -> {
                // a fully read error answer leaves the connection to the pool: it must not be reset
                upstreamEnded = bar.succeeded();
                failBeforeStart(bar.succeeded()
                        ? ProviderErrors.fromAnswer(mapper, candidate, status, bar.result())
                        : ProviderErrors.fromHop(candidate, bar.cause()));
            });
            return;
        }
        resp.handler(buf -> {
            lastChunkNanos = System.nanoTime();
            List<SseParser.Event> events = parser.feed(buf.getBytes());
            for (int i = 0; i < events.size(); i++) {
                onEvent(events.get(i));
            }
        });
        resp.exceptionHandler(this::onHopFailure);
        resp.endHandler(v -> {
            upstreamEnded = true;
            for (SseParser.Event e : parser.finish()) {
                onEvent(e);
            }
            onUpstreamEnd();
        });
    }

    private void onEvent(SseParser.Event e) {
        switch (state) {
            case DONE:
                return;
            case STARTED:
                if (backlog == null) {
                    backlog = new ArrayList<>(4);
                }
                backlog.add(e);
                return;
            default:
                break;
        }
        if (e.event() != null) {
            if (e.named(AigwHeaders.EVENT_USAGE)) {
                usage = parseUsage(e.data());
            } else if (e.named(AigwHeaders.EVENT_ERROR)) {
                ProviderError pe = parseError(e.data());
                if (state == State.HOLDING) {
                    failBeforeStart(new AttemptFailure(pe, 200));
                } else {
                    endWithError(pe);
                }
            }
            return;
        }
        String data = e.data();
        if (state == State.PASSING) {
            if (Chunks.DONE.equals(data)) {
                finishDone();
            } else if (sink.chunk(data) && response != null) {
                response.pause();
            }
            return;
        }
        // HOLDING
        if (Chunks.DONE.equals(data)) {
            // an answer without any content: a valid (empty) completion
            started();
            onEvent(e);
            return;
        }
        JsonNode chunk;
        try {
            chunk = mapper.readTree(data);
        } catch (Exception ex) {
            failBeforeStart(ProviderErrors.malformed(candidate, "adapter sent a chunk that is not JSON"));
            return;
        }
        held.add(data);
        if (Chunks.hasContent(chunk)) {
            started();
        }
    }

    private void started() {
        state = State.STARTED;
        cancelTimer();
        if (response != null) {
            response.pause();
        }
        UniEmitter<? super StreamAttempt> em = emitter;
        emitter = null;
        em.complete(this);
    }

    /** Connects the client side: sends the held chunks, then everything else as it arrives. */
    void attach(Sink target) {
        this.sink = target;
        state = State.PASSING;
        for (String data : held) {
            target.chunk(data);
        }
        held.clear();
        if (backlog != null) {
            List<SseParser.Event> pending = backlog;
            backlog = null;
            for (SseParser.Event e : pending) {
                onEvent(e);
            }
        }
        if (state == State.PASSING) {
            if (upstreamEnded) {
                onUpstreamEnd();
                return;
            }
            lastChunkNanos = System.nanoTime();
            scheduleIdleCheck(idleTimeoutMs);
            if (response != null) {
                response.resume();
            }
        }
    }

    void pause() {
        if (response != null && state == State.PASSING) {
            response.pause();
        }
    }

    void resume() {
        if (response != null && state == State.PASSING) {
            response.resume();
        }
    }

    /** The client went away: stop the upstream. */
    void abort() {
        if (state != State.DONE) {
            state = State.DONE;
            cancelTimer();
            if (request != null && !upstreamEnded) {
                request.reset();
            }
        }
    }

    private void scheduleIdleCheck(long delayMs) {
        timerId = vertx.setTimer(Math.max(1, delayMs), id -> {
            timerId = -1;
            if (state != State.PASSING) {
                return;
            }
            long idleMs = (System.nanoTime() - lastChunkNanos) / 1_000_000;
            if (idleMs >= idleTimeoutMs) {
                endWithError(new ProviderError(ErrorClass.TIMEOUT, null, null,
                        "no chunk from " + candidate.providerId() + " for " + idleTimeoutMs + " ms",
                        candidate.providerId(), candidate.modelId()));
            } else {
                scheduleIdleCheck(idleTimeoutMs - idleMs);
            }
        });
    }

    private void onHopFailure(Throwable t) {
        if (state == State.HOLDING) {
            failBeforeStart(ProviderErrors.fromHop(candidate, t));
        } else if (state == State.PASSING) {
            endWithError(ProviderErrors.fromHop(candidate, t).error());
        } else if (state == State.STARTED) {
            upstreamEnded = true;
        }
    }

    private void onUpstreamEnd() {
        if (state == State.HOLDING) {
            failBeforeStart(ProviderErrors.malformed(candidate, "stream from " + candidate.providerId() + " ended before any content"));
        } else if (state == State.PASSING) {
            endWithError(new ProviderError(ErrorClass.CONNECTION, null, null,
                    "stream from " + candidate.providerId() + " ended unexpectedly", candidate.providerId(), candidate.modelId()));
        }
    }

    private void finishDone() {
        state = State.DONE;
        cancelTimer();
        sink.done();
    }

    private void endWithError(ProviderError pe) {
        state = State.DONE;
        cancelTimer();
        if (request != null && !upstreamEnded) {
            request.reset();
        }
        sink.error(pe);
    }

    private void failBeforeStart(AttemptFailure f) {
        if (state != State.HOLDING) {
            return;
        }
        state = State.DONE;
        cancelTimer();
        if (request != null && !upstreamEnded) {
            request.reset();
        }
        UniEmitter<? super StreamAttempt> em = emitter;
        emitter = null;
        if (em != null) {
            em.fail(f);
        }
    }

    private void cancelTimer() {
        if (timerId >= 0) {
            vertx.cancelTimer(timerId);
            timerId = -1;
        }
    }

    private StreamUsage parseUsage(String data) {
        try {
            return mapper.readValue(data, StreamUsage.class);
        } catch (Exception e) {
            return null;
        }
    }

    private ProviderError parseError(String data) {
        try {
            return mapper.readValue(data, ProviderError.class);
        } catch (Exception e) {
            return new ProviderError(ErrorClass.MALFORMED_RESPONSE, null, null,
                    "adapter sent an unreadable aigw-error", candidate.providerId(), candidate.modelId());
        }
    }
}
