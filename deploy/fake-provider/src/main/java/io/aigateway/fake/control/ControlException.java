package io.aigateway.fake.control;

/** A bad control-API request (answered with 400 and the message). */
public class ControlException extends RuntimeException {
    private final String param;

    public ControlException(String message, String param) {
        super(message, null, false, false);
        this.param = param;
    }

    public String param() {
        return param;
    }
}
