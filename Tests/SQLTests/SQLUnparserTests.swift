import Foundation
import PostgresClient
import TestSupport
import Testing

@testable import SQL

/// Queries the unparser must write back faithfully: each runs on PostgreSQL without tables, so its
/// text and the unparser's text can both be run there and their rows compared.
let unparserCorpus = [
    // Precedence, unary minus, literals and escapes.
    "SELECT 1 + 2 * 3, (1 + 2) * 3, -2 ^ 2, - (-3), 2 - -1, 7 % 3, 2 ^ 3 ^ 2",
    #"SELECT 'it''s', 'back\slash', '', 'tab' || chr(9) || 'inside', E'a\nb', U&'d\0061t\+000061'"#,
    "SELECT 1.50, -0.25, 1e3, 12345678901234567890, 2147483648, -9223372036854775808",
    "SELECT TRUE AND NOT FALSE OR NULL, NOT (1 = 1 OR 2 = 3), NULL IS NULL, 1 IS NOT NULL",
    // Names that need quoting, casts and types.
    #"SELECT x AS "Mixed Case", y AS "quote""inside", z AS "order" FROM (VALUES (1, 2, 3)) AS "V"(x, y, z)"#,
    "SELECT '12.345'::numeric(6, 2), CAST('abc' AS varchar(2)), '{1,2}'::int[], '2024-02-29'::date + 1, 'x'::text || 'y'",
    "SELECT '1 day'::interval * 2, '00:01'::time, '2024-01-01 10:00+02'::timestamptz AT TIME ZONE 'UTC'",
    "SELECT ARRAY[1, 2, 3], (ARRAY[10, 20])[2], ROW(1, 'a'), (ROW(1, 2)::record IS NOT NULL)",
    // Conditional forms and predicates.
    "SELECT CASE WHEN 1 > 2 THEN 'a' WHEN 2 > 1 THEN 'b' ELSE 'c' END, CASE 2 WHEN 1 THEN 'one' ELSE 'other' END",
    "SELECT COALESCE(NULL, 2), NULLIF(1, 1), GREATEST(1, 3, 2), LEAST('b', 'a')",
    "SELECT 2 IN (1, 2), 2 NOT IN (1, 3), 2 BETWEEN 1 AND 3, 5 NOT BETWEEN 1 AND 3, 2 BETWEEN SYMMETRIC 3 AND 1",
    "SELECT NULL IS DISTINCT FROM 1, NULL IS NOT DISTINCT FROM NULL, (1 > 2) IS FALSE, NULL::bool IS UNKNOWN",
    "SELECT 'abc' LIKE 'a%', 'ABC' ILIKE 'a%', 'abc' NOT LIKE '_b_', 'abc' SIMILAR TO 'a(b|c)+', 'abc' ~ '^a', 2 = ANY (ARRAY[1, 2])",
    // Subqueries.
    "SELECT (SELECT 1), EXISTS (SELECT 1 WHERE FALSE), 1 IN (SELECT 1), 2 > ALL (SELECT 1), ARRAY(SELECT 3)",
    "SELECT x FROM generate_series(1, 5) AS g(x) WHERE x > (SELECT avg(y) FROM generate_series(1, x) AS h(y)) ORDER BY x DESC NULLS LAST",
    // Aggregates, grouping and windows.
    "SELECT count(*), count(DISTINCT x % 3), sum(x) FILTER (WHERE x > 2), string_agg(x::text, ',' ORDER BY x DESC) FROM generate_series(1, 5) AS g(x)",
    "SELECT percentile_cont(0.5) WITHIN GROUP (ORDER BY x), mode() WITHIN GROUP (ORDER BY x % 2) FROM generate_series(1, 5) AS g(x)",
    "SELECT x % 2 AS k, x % 3 AS m, count(*), GROUPING(x % 2, x % 3) FROM generate_series(1, 6) AS g(x) GROUP BY ROLLUP (x % 2, x % 3)",
    "SELECT x % 2, count(*) FROM generate_series(1, 6) AS g(x) GROUP BY CUBE (x % 2) HAVING count(*) > 1",
    "SELECT x % 2, x % 3, count(*) FROM generate_series(1, 6) AS g(x) GROUP BY GROUPING SETS ((x % 2), (x % 3), ())",
    "SELECT x, sum(x) OVER (ORDER BY x ROWS BETWEEN 1 PRECEDING AND CURRENT ROW), rank() OVER w, lag(x) OVER (PARTITION BY x % 2 ORDER BY x) FROM generate_series(1, 5) AS g(x) WINDOW w AS (ORDER BY x % 3)",
    "SELECT x, avg(x) OVER (ORDER BY x RANGE BETWEEN 2 PRECEDING AND UNBOUNDED FOLLOWING EXCLUDE CURRENT ROW) FROM generate_series(1, 5) AS g(x)",
    // Set operations, ordering and limits.
    "SELECT 1 UNION SELECT 2 UNION ALL SELECT 2 EXCEPT SELECT 3 ORDER BY 1 LIMIT 5 OFFSET 0",
    "(SELECT 1 AS a INTERSECT ALL SELECT 1) UNION (SELECT 2 ORDER BY 1 LIMIT 1)",
    "SELECT x FROM generate_series(1, 5) AS g(x) ORDER BY x / 2 FETCH FIRST 2 ROWS WITH TIES",
    "SELECT DISTINCT ON (x % 2) x, x % 2 FROM generate_series(1, 5) AS g(x) ORDER BY x % 2, x DESC",
    "SELECT DISTINCT x % 3 FROM generate_series(1, 5) AS g(x)",
    // WITH, joins and FROM forms.
    "WITH RECURSIVE r(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM r WHERE n < 5) SELECT sum(n) FROM r",
    "WITH a AS (SELECT 1 AS id, 'x' AS v), b AS (SELECT 1 AS id, 'y' AS w) SELECT * FROM a JOIN b USING (id)",
    "SELECT * FROM (VALUES (1, 'a'), (2, 'b')) AS l(id, v) LEFT JOIN (VALUES (2, 'z')) AS r(id, w) ON l.id = r.id",
    "SELECT * FROM (VALUES (1), (3)) AS l(id) FULL JOIN (VALUES (2), (3)) AS r(id) ON l.id = r.id",
    "SELECT * FROM (VALUES (1, 2)) AS l(a, b) NATURAL JOIN (VALUES (1, 3)) AS r(a, c) CROSS JOIN (VALUES (9)) AS c(z)",
    "SELECT x, y FROM generate_series(1, 3) AS g(x), LATERAL (SELECT x * 10 AS y) AS l WHERE y > 10",
    "SELECT r.f1 FROM (SELECT ROW(1, 2)::record AS r0) s, LATERAL (SELECT (r0).f1 AS f1) AS r",
    "SELECT current_user = CURRENT_USER, CURRENT_DATE = current_date, CURRENT_SCHEMA IS NOT NULL",
]

@Suite struct SQLUnparserTests {
    func statement(_ sql: String) throws -> SelectStatement {
        let parsed = try SQLParser.parse(sql)
        guard parsed.count == 1, case .select(let select) = parsed[0].statement else {
            throw UnparseError("a statement that is no single query")
        }
        return select
    }

    /// The unparser's text parses to a tree that it writes the same way again.
    @Test(arguments: unparserCorpus)
    func writesTextThatParsesBackToTheSameTree(sql: String) throws {
        let once = try SQLUnparser.sql(try statement(sql))
        let twice = try SQLUnparser.sql(try statement(once))
        #expect(once == twice, "\(sql)")
    }

    @Test func quotesIdentifiersAndLiterals() throws {
        #expect(SQLUnparser.quotedIdentifier("order") == #""order""#)
        #expect(SQLUnparser.quotedIdentifier(#"a"b"#) == #""a""b""#)
        #expect(SQLUnparser.quotedLiteral("it's") == "'it''s'")
        #expect(SQLUnparser.quotedLiteral(#"a\b"#) == #"'a\b'"#)
        #expect(
            try SQLUnparser.sql(try statement(#"SELECT "T"."Col" AS "Out" FROM "s"."T" WHERE "T"."Col" <> 'x''y'"#))
                == #"SELECT "T"."Col" AS "Out" FROM "s"."T" WHERE ("T"."Col" <> 'x''y')"#)
        #expect(
            try SQLUnparser.sql(
                .binary("-", .literal(.integer(1), location: 0), .literal(.integer(-2), location: 0), location: 0))
                == "(1 - (-2))")
    }

    @Test func refusesFormsItCannotWrite() {
        #expect(throws: UnparseError("window frames with EXCLUDE GROUP")) {
            try SQLUnparser.sql(.unsupported(feature: "window frames with EXCLUDE GROUP", location: 0))
        }
    }

    /// Each query and the unparser's text for it give the same rows on PostgreSQL.
    @Test(.enabled(if: PostgresTestServer.dsn != nil), arguments: unparserCorpus)
    func meansTheSameToPostgreSQL(sql: String) throws {
        let connection = try PostgresClientConnection(connectionString: PostgresTestServer.dsn!, password: nil)
        try connection.execute("SET TIME ZONE 'UTC'")
        let written = try SQLUnparser.sql(try statement(sql))
        let expected = try connection.query(sql)
        let actual = try connection.query(written)
        #expect(
            actual.map { $0.map { $0 ?? "NULL" } }.sorted { $0.lexicographicallyPrecedes($1) }
                == expected.map { $0.map { $0 ?? "NULL" } }.sorted { $0.lexicographicallyPrecedes($1) }, "\(written)")
        #expect(actual.first?.count == expected.first?.count)
    }
}
