package io.aigateway.infra;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.net.ServerSocket;

import org.junit.jupiter.api.Test;

class ArgsTest {

    @Test
    void parsesBothForms() {
        Args a = Args.parse("t", new String[] {"--port", "9092", "--data-dir=/x"});
        assertEquals(9092, a.port("port", null));
        assertEquals("/x", a.required("data-dir"));
        assertEquals(9093, a.port("controller-port", 9093));
    }

    @Test
    void rejectsBadInput() {
        assertThrows(Args.UsageException.class, () -> Args.parse("t", new String[] {"--port"}));
        assertThrows(Args.UsageException.class, () -> Args.parse("t", new String[] {"port", "1"}));
        assertThrows(Args.UsageException.class, () -> Args.parse("t", new String[] {"--port", "x"}).port("port", null));
        assertThrows(Args.UsageException.class, () -> Args.parse("t", new String[] {"--port", "70000"}).port("port", null));
        assertThrows(Args.UsageException.class, () -> Args.parse("t", new String[] {}).required("data-dir"));
        assertThrows(Args.UsageException.class, () -> KafkaMain.parseOverrides("novalue"));
    }

    @Test
    void detectsTakenPort() throws Exception {
        try (ServerSocket s = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            int port = s.getLocalPort();
            var e = assertThrows(Args.UsageException.class, () -> Net.requireFree("t", "127.0.0.1", port));
            assertTrue(e.getMessage().contains("already in use"));
        }
    }
}
