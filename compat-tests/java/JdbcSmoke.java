import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Properties;

/**
 * Smoke test of pgjdbc against a server: connect, bind parameters, read typed values.
 *
 * <p>Usage: {@code java -cp .:postgresql.jar JdbcSmoke HOST PORT DATABASE USER PASSWORD}. Runs
 * every check once per query mode (pgjdbc's default extended protocol, then {@code
 * preferQueryMode=simple}), prints one line per passed check and exits non-zero on the first
 * mismatch.
 */
public final class JdbcSmoke {
    private JdbcSmoke() {}

    public static void main(String[] args) throws SQLException {
        if (args.length != 5) {
            System.err.println("usage: JdbcSmoke HOST PORT DATABASE USER PASSWORD");
            System.exit(2);
        }
        String url = "jdbc:postgresql://" + args[0] + ":" + args[1] + "/" + args[2];
        for (String mode : new String[] {"extended", "simple"}) {
            Properties properties = new Properties();
            properties.setProperty("user", args[3]);
            properties.setProperty("password", args[4]);
            properties.setProperty("preferQueryMode", mode);
            properties.setProperty("connectTimeout", "10");
            properties.setProperty("socketTimeout", "60");
            try (Connection connection = DriverManager.getConnection(url, properties)) {
                run(mode, connection);
            }
        }
        System.out.println("OK");
    }

    private static void run(String mode, Connection connection) throws SQLException {
        check(mode, "server version", connection.getMetaData().getDatabaseMajorVersion(), 15);

        // pgjdbc switches to a named server-side statement on the 5th execution (prepareThreshold).
        try (PreparedStatement statement = connection.prepareStatement("SELECT ?::int + 1 AS n")) {
            for (int i = 0; i < 7; i++) {
                statement.setInt(1, 41 + i);
                try (ResultSet rows = statement.executeQuery()) {
                    check(mode, "row present " + i, rows.next(), true);
                    check(mode, "int parameter " + i, rows.getInt("n"), 42 + i);
                    check(mode, "single row " + i, rows.next(), false);
                }
            }
        }

        try (PreparedStatement statement = connection.prepareStatement(
                "SELECT ? || 'y' AS s, ?::int8 * 2 AS big, ?::float8 / 2 AS f, ? AS flag")) {
            statement.setString(1, "x");
            statement.setLong(2, 3000000000L);
            statement.setDouble(3, 5.0);
            statement.setBoolean(4, true);
            try (ResultSet rows = statement.executeQuery()) {
                rows.next();
                check(mode, "text parameter", rows.getString("s"), "xy");
                check(mode, "int8 parameter", rows.getLong("big"), 6000000000L);
                check(mode, "float8 parameter", rows.getDouble("f"), 2.5);
                check(mode, "bool parameter", rows.getBoolean("flag"), true);
            }
        }

        try (Statement statement = connection.createStatement();
                ResultSet rows = statement.executeQuery(
                        "SELECT 1 AS a, 3000000000 AS b, 1.5::float8 AS c, 'text' AS d, true AS e, NULL::int AS f")) {
            ResultSetMetaData meta = rows.getMetaData();
            check(mode, "column count", meta.getColumnCount(), 6);
            check(mode, "column label", meta.getColumnLabel(2), "b");
            check(mode, "int4 type name", meta.getColumnTypeName(1), "int4");
            check(mode, "int8 type name", meta.getColumnTypeName(2), "int8");
            check(mode, "float8 type name", meta.getColumnTypeName(3), "float8");
            check(mode, "text type name", meta.getColumnTypeName(4), "text");
            check(mode, "bool type name", meta.getColumnTypeName(5), "bool");
            rows.next();
            check(mode, "int4 value", rows.getInt(1), 1);
            check(mode, "int8 value", rows.getLong(2), 3000000000L);
            check(mode, "float8 value", rows.getDouble(3), 1.5);
            check(mode, "text value", rows.getString(4), "text");
            check(mode, "bool value", rows.getBoolean(5), true);
            check(mode, "null value", rows.getObject(6), null);
        }

        try (Statement statement = connection.createStatement();
                ResultSet rows = statement.executeQuery("SELECT x FROM generate_series(1, 10000) AS g(x)")) {
            long count = 0;
            long total = 0;
            while (rows.next()) {
                count++;
                total += rows.getInt(1);
            }
            check(mode, "row count", count, 10000L);
            check(mode, "row sum", total, 50005000L);
        }

        try (Statement statement = connection.createStatement()) {
            statement.executeQuery("SELECT 1/0");
            fail(mode, "division by zero did not raise");
        } catch (SQLException expected) {
            check(mode, "division by zero sqlstate", expected.getSQLState(), "22012");
        }
        connection.setAutoCommit(false);
        try (Statement statement = connection.createStatement();
                ResultSet rows = statement.executeQuery("SELECT current_user")) {
            rows.next();
            check(mode, "user in transaction", rows.getString(1), "demo");
        }
        connection.commit();
        connection.setAutoCommit(true);
    }

    private static void check(String mode, String what, Object actual, Object expected) {
        if (expected == null ? actual != null : !expected.equals(actual)) {
            fail(mode, what + ": expected <" + expected + "> but got <" + actual + ">");
        }
        System.out.println("ok [" + mode + "] " + what);
    }

    private static void fail(String mode, String message) {
        System.out.println("FAIL [" + mode + "] " + message);
        System.exit(1);
    }
}
