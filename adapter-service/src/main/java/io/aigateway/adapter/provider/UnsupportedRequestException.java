package io.aigateway.adapter.provider;

/** A request the provider's wire format cannot carry (e.g. an image URL where only inline images exist): a clear 400. */
public class UnsupportedRequestException extends RuntimeException {

    public UnsupportedRequestException(String message) {
        super(message, null, false, false);
    }
}
