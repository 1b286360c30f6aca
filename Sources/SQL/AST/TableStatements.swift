/// `CREATE TABLE name (columns) [PARTITION BY iceberg (terms)] [WITH (properties)]`.
public struct CreateTable: Sendable, Equatable {
    public var name: QualifiedName
    public var columns: [ColumnDefinition]
    /// The Iceberg partition spec, in order; empty for an unpartitioned table.
    public var partitionBy: [PartitionTerm]
    /// `WITH (key = value, ...)`: Iceberg table properties, values as written.
    public var properties: [(key: String, value: String)]
    public var ifNotExists: Bool
    /// Where the name starts in the statement, for error positions.
    public var location: Int

    public init(
        name: QualifiedName, columns: [ColumnDefinition], partitionBy: [PartitionTerm] = [],
        properties: [(key: String, value: String)] = [],
        ifNotExists: Bool = false, location: Int = 0
    ) {
        self.name = name
        self.columns = columns
        self.partitionBy = partitionBy
        self.properties = properties
        self.ifNotExists = ifNotExists
        self.location = location
    }

    public static func == (lhs: CreateTable, rhs: CreateTable) -> Bool {
        lhs.name == rhs.name && lhs.columns == rhs.columns && lhs.partitionBy == rhs.partitionBy
            && lhs.properties.map(\.key) == rhs.properties.map(\.key)
            && lhs.properties.map(\.value) == rhs.properties.map(\.value)
            && lhs.ifNotExists == rhs.ifNotExists && lhs.location == rhs.location
    }
}

/// One column of `CREATE TABLE`: its name, type and whether it may hold NULL.
public struct ColumnDefinition: Sendable, Equatable {
    public var name: String
    public var type: TypeName
    public var notNull: Bool

    public init(name: String, type: TypeName, notNull: Bool = false) {
        self.name = name
        self.type = type
        self.notNull = notNull
    }
}

/// One term of `PARTITION BY iceberg (...)`: a column, or an Iceberg transform of one
/// (`day(ts)`, `bucket(16, id)`, `truncate(4, name)`).
public struct PartitionTerm: Sendable, Equatable {
    /// `identity`, `year`, `month`, `day`, `hour`, `bucket` or `truncate`.
    public var transform: String
    public var column: String
    /// The bucket count or truncation width.
    public var argument: Int?
    public var location: Int

    public init(transform: String, column: String, argument: Int? = nil, location: Int = 0) {
        self.transform = transform
        self.column = column
        self.argument = argument
        self.location = location
    }
}

/// `CREATE TABLE name [(columns)] AS query [WITH [NO] DATA]`.
public struct CreateTableAs: Sendable, Equatable {
    public var name: QualifiedName
    /// Names for the query's columns, when listed.
    public var columnNames: [String]
    public var query: SelectStatement
    public var withData: Bool
    public var ifNotExists: Bool
    public var location: Int

    public init(
        name: QualifiedName, columnNames: [String], query: SelectStatement, withData: Bool, ifNotExists: Bool,
        location: Int
    ) {
        self.name = name
        self.columnNames = columnNames
        self.query = query
        self.withData = withData
        self.ifNotExists = ifNotExists
        self.location = location
    }
}

/// `INSERT INTO name [[AS] alias] [(columns)] query [ON CONFLICT DO NOTHING] [RETURNING targets]`,
/// where the query may be `VALUES`.
public struct InsertStatement: Sendable, Equatable {
    public var table: QualifiedName
    public var alias: String?
    /// The target columns, when listed; otherwise the table's columns in order.
    public var columns: [String]
    public var query: SelectStatement
    /// What `RETURNING` lists, over the inserted rows; empty without RETURNING.
    public var returning: [SelectTarget]
    public var location: Int

    public init(
        table: QualifiedName, alias: String? = nil, columns: [String], query: SelectStatement,
        returning: [SelectTarget] = [],
        location: Int
    ) {
        self.table = table
        self.alias = alias
        self.columns = columns
        self.query = query
        self.returning = returning
        self.location = location
    }
}

/// `DELETE FROM name [[AS] alias] [USING from_items] [WHERE condition] [RETURNING targets]`.
public struct DeleteStatement: Sendable, Equatable {
    /// `WITH` queries before the statement.
    public var with: [CommonTableExpression] = []
    public var table: QualifiedName
    public var alias: String?
    /// The other tables the condition reads (`USING`); a row is deleted when some of their rows match.
    public var using: [TableReference]
    public var whereClause: Expression?
    /// What `RETURNING` lists, over the deleted rows; empty without RETURNING.
    public var returning: [SelectTarget]
    public var location: Int

    public init(
        table: QualifiedName, alias: String?, using: [TableReference] = [], whereClause: Expression?,
        returning: [SelectTarget] = [], location: Int
    ) {
        self.table = table
        self.alias = alias
        self.using = using
        self.whereClause = whereClause
        self.returning = returning
        self.location = location
    }
}

/// `UPDATE name [[AS] alias] SET column = value, ... [FROM from_items] [WHERE condition]
/// [RETURNING targets]`.
public struct UpdateStatement: Sendable, Equatable {
    /// `column = value`; a nil value is `DEFAULT`.
    public struct Assignment: Sendable, Equatable {
        public var column: String
        public var value: Expression?
        public var location: Int

        public init(column: String, value: Expression?, location: Int) {
            self.column = column
            self.value = value
            self.location = location
        }
    }

    /// `WITH` queries before the statement.
    public var with: [CommonTableExpression] = []
    public var table: QualifiedName
    public var alias: String?
    public var assignments: [Assignment]
    /// The other tables the assignments and condition read (`FROM`).
    public var from: [TableReference]
    public var whereClause: Expression?
    /// What `RETURNING` lists, over the updated rows' new values; empty without RETURNING.
    public var returning: [SelectTarget]
    public var location: Int

    public init(
        table: QualifiedName, alias: String?, assignments: [Assignment], from: [TableReference] = [],
        whereClause: Expression?,
        returning: [SelectTarget] = [], location: Int
    ) {
        self.table = table
        self.alias = alias
        self.assignments = assignments
        self.from = from
        self.whereClause = whereClause
        self.returning = returning
        self.location = location
    }
}

/// `MERGE INTO name [[AS] alias] USING source ON condition WHEN [NOT] MATCHED [AND condition]
/// THEN action ...`.
public struct MergeStatement: Sendable, Equatable {
    /// One `WHEN` clause: for target rows some source row matches, or for source rows no target row
    /// matches; the first clause of its kind whose condition holds acts.
    public struct Clause: Sendable, Equatable {
        public enum Action: Sendable, Equatable {
            case update([UpdateStatement.Assignment])
            case delete
            /// `INSERT [(columns)] VALUES (values)`; a nil value is `DEFAULT`. No columns and no
            /// values is `INSERT DEFAULT VALUES`.
            case insert(columns: [String], values: [Expression?])
            case doNothing
        }

        public var matched: Bool
        public var condition: Expression?
        public var action: Action
        public var location: Int

        public init(matched: Bool, condition: Expression?, action: Action, location: Int) {
            self.matched = matched
            self.condition = condition
            self.action = action
            self.location = location
        }
    }

    /// `WITH` queries before the statement.
    public var with: [CommonTableExpression] = []
    public var table: QualifiedName
    public var alias: String?
    public var source: TableReference
    public var condition: Expression
    public var clauses: [Clause]
    public var location: Int

    public init(
        table: QualifiedName, alias: String?, source: TableReference, condition: Expression, clauses: [Clause],
        location: Int
    ) {
        self.table = table
        self.alias = alias
        self.source = source
        self.condition = condition
        self.clauses = clauses
        self.location = location
    }
}

/// One change of `ALTER TABLE` (or its `RENAME` forms).
public enum TableAlteration: Sendable, Equatable {
    case addColumn(ColumnDefinition, ifNotExists: Bool)
    case dropColumn(String, ifExists: Bool)
    /// `ALTER COLUMN name TYPE type`.
    case alterColumnType(String, TypeName)
    /// `ALTER COLUMN name DROP NOT NULL`.
    case dropNotNull(String)
    case renameColumn(from: String, to: String)
    case renameTable(to: String)
}

/// One argument of `CALL`: by position, or by name (`name => value`).
public struct CallArgument: Sendable, Equatable {
    public var name: String?
    public var value: Expression

    public init(name: String?, value: Expression) {
        self.name = name
        self.value = value
    }
}
