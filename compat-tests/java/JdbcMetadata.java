import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.Set;

/**
 * Prints what pgjdbc's DatabaseMetaData says about a server, one line per row, so two servers'
 * answers can be compared line by line.
 *
 * <p>Usage: {@code java -cp .:postgresql.jar JdbcMetadata HOST PORT DATABASE USER PASSWORD SECTION}, where
 * SECTION is {@code objects} (catalogs, schemas, tables, columns, type info) or {@code keys} (primary keys,
 * indexes, imported and exported keys).
 */
public final class JdbcMetadata {
    private JdbcMetadata() {}

    /** The types whose getTypeInfo rows are printed: the ones TPC-H columns and common queries use. */
    private static final Set<String> TYPES = Set.of("bool", "int2", "int4", "int8", "float4", "float8", "numeric", "text",
            "varchar", "bpchar", "date", "timestamp", "timestamptz", "bytea", "uuid", "_int4", "_text");

    public static void main(String[] args) throws SQLException {
        Properties properties = new Properties();
        properties.setProperty("user", args[3]);
        properties.setProperty("password", args[4]);
        String url = "jdbc:postgresql://" + args[0] + ":" + args[1] + "/" + args[2];
        try (Connection connection = DriverManager.getConnection(url, properties)) {
            DatabaseMetaData meta = connection.getMetaData();
            if (args[5].equals("keys")) {
                print("primary key", meta.getPrimaryKeys(null, "tpch", "nation"), List.of("COLUMN_NAME", "KEY_SEQ"));
                print("index", meta.getIndexInfo(null, "tpch", "nation", false, true), List.of("INDEX_NAME", "COLUMN_NAME"));
                print("imported key", meta.getImportedKeys(null, "tpch", "nation"), List.of("PKTABLE_NAME", "FK_NAME"));
                print("exported key", meta.getExportedKeys(null, "tpch", "region"), List.of("FKTABLE_NAME", "FK_NAME"));
                return;
            }
            print("catalog", meta.getCatalogs(), List.of("TABLE_CAT"));
            print("schema", meta.getSchemas(), List.of("TABLE_SCHEM", "TABLE_CATALOG"));
            print("table", meta.getTables(null, "tpch", "%", new String[] {"TABLE"}),
                    List.of("TABLE_CAT", "TABLE_SCHEM", "TABLE_NAME", "TABLE_TYPE", "REMARKS"));
            print("column", meta.getColumns(null, "tpch", "lineitem", "%"),
                    List.of("COLUMN_NAME", "DATA_TYPE", "TYPE_NAME", "COLUMN_SIZE", "DECIMAL_DIGITS", "NULLABLE", "REMARKS",
                            "COLUMN_DEF", "ORDINAL_POSITION", "IS_NULLABLE", "IS_AUTOINCREMENT", "IS_GENERATEDCOLUMN"));
            try (ResultSet types = meta.getTypeInfo()) {
                List<String> rows = new ArrayList<>();
                while (types.next()) {
                    if (TYPES.contains(types.getString("TYPE_NAME"))) {
                        rows.add("type " + types.getString("TYPE_NAME") + "|" + types.getInt("DATA_TYPE") + "|"
                                + types.getInt("PRECISION") + "|" + types.getBoolean("CASE_SENSITIVE") + "|"
                                + types.getShort("SEARCHABLE") + "|" + types.getBoolean("UNSIGNED_ATTRIBUTE"));
                    }
                }
                rows.sort(null);
                rows.forEach(System.out::println);
            }
        }
    }

    private static void print(String label, ResultSet rows, List<String> columns) throws SQLException {
        try (rows) {
            while (rows.next()) {
                StringBuilder line = new StringBuilder(label);
                for (String column : columns) line.append('|').append(rows.getString(column));
                System.out.println(line);
            }
        }
    }
}
