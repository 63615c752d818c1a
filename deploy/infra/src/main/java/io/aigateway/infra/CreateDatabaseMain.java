package io.aigateway.infra;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Properties;
import java.util.regex.Pattern;

/**
 * Creates a PostgreSQL database when it does not exist yet.
 *
 * <pre>CreateDatabaseMain --jdbc-url jdbc:postgresql://host:port/postgres --user postgres --database aigw
 *                    [--password ...] [--timeout-ms 30000]</pre>
 *
 * Retries the connection until the timeout (PostgreSQL may still be starting). Exit 0 when the
 * database exists afterwards.
 */
public final class CreateDatabaseMain {

    private static final String PROGRAM = "CreateDatabaseMain";
    private static final Pattern NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]{0,62}");
    private static final String DUPLICATE_DATABASE = "42P04";

    private CreateDatabaseMain() {
    }

    public static void main(String[] argv) {
        Net.quietLogging();
        Mains.run(() -> {
            Args args = Args.parse(PROGRAM, argv);
            String url = args.required("jdbc-url");
            String user = args.optional("user", "postgres");
            String password = args.optional("password", "");
            String database = args.required("database");
            long timeoutMs = args.millis("timeout-ms", 30_000);
            if (!NAME.matcher(database).matches()) {
                throw args.usage("--database must match " + NAME.pattern());
            }
            boolean created = ensureDatabase(url, user, password, database, timeoutMs);
            System.out.println("database " + database + (created ? " created" : " already exists"));
        });
    }

    static boolean ensureDatabase(String url, String user, String password, String database, long timeoutMs)
            throws SQLException, InterruptedException {
        Properties props = new Properties();
        props.setProperty("user", user);
        if (!password.isEmpty()) {
            props.setProperty("password", password);
        }
        props.setProperty("connectTimeout", "5");
        long deadline = System.currentTimeMillis() + timeoutMs;
        while (true) {
            try (Connection c = DriverManager.getConnection(url, props)) {
                return create(c, database);
            } catch (SQLException e) {
                // 08xxx: connection problems (server starting, refused): retry until the deadline.
                boolean connection = e.getSQLState() != null && e.getSQLState().startsWith("08")
                        || "57P03".equals(e.getSQLState()); // the database system is starting up
                if (!connection || System.currentTimeMillis() >= deadline) {
                    throw e;
                }
                Thread.sleep(500);
            }
        }
    }

    private static boolean create(Connection c, String database) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT 1 FROM pg_database WHERE datname = ?")) {
            ps.setString(1, database);
            try (ResultSet rs = ps.executeQuery()) {
                if (rs.next()) {
                    return false;
                }
            }
        }
        try (Statement st = c.createStatement()) {
            st.execute("CREATE DATABASE \"" + database + "\"");
            return true;
        } catch (SQLException e) {
            if (DUPLICATE_DATABASE.equals(e.getSQLState())) {
                return false; // created concurrently
            }
            throw e;
        }
    }
}
