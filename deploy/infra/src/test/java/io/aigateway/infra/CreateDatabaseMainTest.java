package io.aigateway.infra;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.DriverManager;
import java.util.UUID;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/** Against the machine's PostgreSQL (skipped when none answers on 127.0.0.1:5432). */
class CreateDatabaseMainTest {

    private static final String URL = "jdbc:postgresql://127.0.0.1:5432/postgres";

    @Test
    void createsOnceThenReportsExisting() throws Exception {
        Assumptions.assumeTrue(Net.listening("127.0.0.1", 5432), "no PostgreSQL on 127.0.0.1:5432");
        String db = "aigw_infra_test_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
        try {
            assertTrue(CreateDatabaseMain.ensureDatabase(URL, "postgres", "", db, 5_000));
            assertFalse(CreateDatabaseMain.ensureDatabase(URL, "postgres", "", db, 5_000));
        } finally {
            try (var c = DriverManager.getConnection(URL, "postgres", ""); var st = c.createStatement()) {
                st.execute("DROP DATABASE IF EXISTS \"" + db + "\"");
            }
        }
    }
}
