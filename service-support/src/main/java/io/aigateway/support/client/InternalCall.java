package io.aigateway.support.client;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.RequestOptions;
import org.jboss.logging.Logger;

/**
 * One request to another service, made by {@link InternalHttpClient#call}. {@link #send()} gives the answer's head (the
 * caller reads or streams its body); {@link #cancel()} is for a client that went away. All methods and callbacks run
 * on the calling request's event-loop context.
 * <p>
 * <b>Reset only what is still in flight.</b> On HTTP/1.1, resetting a request whose answer has ended closes the
 * connection, which by then is back in the pool and may carry another client's request (the hazard
 * routing → adapter met first). Vert.x ends the exchange on the connection's event loop before the end
 * reaches this context (later still when the answer was paused for a slow client), so {@link #cancel()} resets only
 * when the answer has not been fully read here <em>and</em> no other call has taken the connection since.
 * <p>
 * <b>Retry once, only what the called service never received.</b> See {@link InternalHttpClient#connectionLost}: a request whose
 * pooled, already used connection was closed or reset before any byte of an answer came back is sent once more, on a
 * new connection that is not pooled, with the same headers (so the same {@code X-Request-Id}).
 */
public final class InternalCall {

    private static final Logger LOG = Logger.getLogger(InternalCall.class);

    private final InternalHttpClient client;
    private final RequestOptions options;
    private final Buffer body;
    private final Promise<HttpClientResponse> answer = Promise.promise();
    private HttpClientRequest current;
    /** The pooled connection's use count, and this call's number on it. */
    private InternalHttpClient.ConnectionUse use;
    private int useNumber;
    private boolean started;
    private boolean cancelled;
    /** The whole answer was read: the connection is back in the pool and may already serve another request. */
    private boolean answerEnded;

    InternalCall(InternalHttpClient client, RequestOptions options, Buffer body) {
        this.client = client;
        this.options = options;
        this.body = body;
    }

    /** Sends the request (once); the future completes with the answer's head, or fails with the transport error. */
    public Future<HttpClientResponse> send() {
        if (!started) {
            started = true;
            attempt(client.pooled(), true);
        }
        return answer.future();
    }

    /**
     * The client went away: resets the request if it is still in flight (the called service then stops its work), and
     * never an exchange whose answer was fully read or whose connection already serves another request.
     */
    public void cancel() {
        if (cancelled) {
            return;
        }
        cancelled = true;
        HttpClientRequest req = current;
        if (req == null) {
            // no connection yet: the request is dropped when it gets one (see attempt)
            return;
        }
        if (answerEnded || (use != null && use.takenAfter(useNumber))) {
            return;
        }
        req.reset();
    }

    private void attempt(HttpClient http, boolean pooled) {
        http.request(options).onComplete(ar -> {
            if (ar.failed()) {
                // no request was written: a pooled connection that closed between lease and use is retried
                if (pooled && !cancelled && InternalHttpClient.connectionLost(ar.cause())) {
                    retry(ar.cause());
                } else {
                    answer.tryFail(ar.cause());
                }
                return;
            }
            HttpClientRequest req = ar.result();
            if (cancelled) {
                req.reset(); // nothing written yet: the connection goes back to the pool
                answer.tryFail(new IllegalStateException("client went away before the request was sent"));
                return;
            }
            current = req;
            // did this connection carry an earlier request? (a new one cannot have been idle-closed by routing)
            use = pooled ? client.use(req.connection()) : null;
            useNumber = use != null ? use.take() : 0;
            boolean reusedConnection = useNumber > 0;
            (body == null ? req.send() : req.send(body)).onComplete(sent -> {
                if (sent.succeeded()) {
                    HttpClientResponse resp = sent.result();
                    resp.end().onComplete(end -> answerEnded = true);
                    answer.tryComplete(resp);
                } else if (pooled && reusedConnection && !cancelled && InternalHttpClient.connectionLost(sent.cause())) {
                    retry(sent.cause());
                } else {
                    answer.tryFail(sent.cause());
                }
            });
        });
    }

    private void retry(Throwable cause) {
        LOG.infof("Pooled connection to %s closed before any answer (%s): sending the request again on a new connection",
                client.endpoint().name(), cause.toString());
        client.retried();
        current = null;
        use = null;
        attempt(client.fresh(), false);
    }
}
