import Catalog
import Engine
import Lakehouse
import Testing

@testable import IcebergConnector

/// The part of a bound WHERE clause the Iceberg scan prunes with.
@Suite struct IcebergScanPredicateTests {
    let columns = [
        IcebergReadColumn(field: NestedField(id: 1, name: "id", type: .long, required: true), type: .int64),
        IcebergReadColumn(field: NestedField(id: 2, name: "region", type: .string, required: false), type: .text),
    ]

    func equal(_ column: Int, _ value: Value, flipped: Bool = false) -> Expression {
        let type = columns[column].type
        return flipped
            ? .comparison(.equal, .constant(value, type), .column(index: column, type: type))
            : .comparison(.equal, .column(index: column, type: type), .constant(value, type))
    }

    @Test func inListsBecomeMembershipTests() {
        // `region IN ('eu', 'us')` binds as an OR of equalities with one column.
        let filter = Expression.or([equal(1, .text("eu")), equal(1, .text("us"), flipped: true)])
        #expect(
            IcebergTableSource.scanPredicate(filter, columns: columns)
                == .isIn(column: "region", [.text("eu"), .text("us")]))
        let conjunction = Expression.and([
            filter, .comparison(.greater, .column(index: 0, type: .int64), .constant(.int64(5), .int64)),
        ])
        #expect(
            IcebergTableSource.scanPredicate(conjunction, columns: columns)
                == .and([
                    .isIn(column: "region", [.text("eu"), .text("us")]), .compare(column: "id", .greater, .int64(5)),
                ]))
    }

    @Test func otherDisjunctionsPruneNothing() {
        let twoColumns = Expression.or([equal(1, .text("eu")), equal(0, .int64(3))])
        #expect(IcebergTableSource.scanPredicate(twoColumns, columns: columns) == .alwaysTrue)
        let range = Expression.or([
            equal(0, .int64(3)), .comparison(.less, .column(index: 0, type: .int64), .constant(.int64(0), .int64)),
        ])
        #expect(IcebergTableSource.scanPredicate(range, columns: columns) == .alwaysTrue)
    }
}
