import Engine
import SQL

extension Engine.Expression {
    /// The expression as a SQL tree PostgreSQL computes identically, which `SQLUnparser` then
    /// writes as text: how a filter or projection pushed down to a PostgreSQL source is sent. Each
    /// column becomes the (qualified) name `columnName` gives it, each constant a typed literal
    /// (`CAST('1.50' AS "pg_catalog"."numeric")`) so PostgreSQL reads the value with the type Weir
    /// bound. Nil when some part has no such form: a parameter, a column without a name, a type
    /// PostgreSQL would spell differently, or a function not known to be computed identically.
    func sqlTree(columnName: (Int) -> [String]?) -> SQL.Expression? {
        func tree(_ expression: Engine.Expression) -> SQL.Expression? { expression.sqlTree(columnName: columnName) }
        func trees(_ expressions: [Engine.Expression]) -> [SQL.Expression]? {
            var converted: [SQL.Expression] = []
            for expression in expressions {
                guard let tree = tree(expression) else { return nil }
                converted.append(tree)
            }
            return converted
        }
        switch self {
        case .column(let index, _):
            return columnName(index).map { .column($0, location: 0) }
        case .constant(let value, let type):
            guard let typeName = type.sqlTypeName else { return nil }
            guard !value.isNull else { return .cast(.literal(.null, location: 0), typeName, location: 0) }
            guard let text = TextOutput().string(Column(type: type, values: [value]), at: 0) else { return nil }
            return .cast(.literal(.string(text), location: 0), typeName, location: 0)
        case .parameter:
            return nil
        case .arithmetic(let op, let left, let right, _):
            guard let left = tree(left), let right = tree(right) else { return nil }
            return .binary(op.rawValue, left, right, location: 0)
        case .negate(let operand):
            return tree(operand).map { .unary("-", $0, location: 0) }
        case .comparison(let op, let left, let right):
            guard let left = tree(left), let right = tree(right) else { return nil }
            return .binary(op.rawValue, left, right, location: 0)
        case .and(let operands):
            return trees(operands).map { .and($0) }
        case .or(let operands):
            return trees(operands).map { .or($0) }
        case .not(let operand):
            return tree(operand).map { .not($0) }
        case .isNull(let operand, let negated):
            return tree(operand).map { .isNull($0, negated: negated) }
        case .cast(let operand, let type):
            guard let operand = tree(operand), let typeName = type.sqlTypeName else { return nil }
            return .cast(operand, typeName, location: 0)
        case .caseWhen(let branches, let otherwise, _):
            var converted: [CaseBranch] = []
            for branch in branches {
                guard let condition = tree(branch.condition), let result = tree(branch.result) else { return nil }
                converted.append(CaseBranch(condition: condition, result: result))
            }
            var elseTree: SQL.Expression?
            if let otherwise {
                guard let tree = tree(otherwise) else { return nil }
                elseTree = tree
            }
            return .caseWhen(operand: nil, branches: converted, otherwise: elseTree, location: 0)
        case .function(let function, let arguments):
            guard let converted = trees(arguments) else { return nil }
            switch function.name {
            // Until the function registry records which functions PostgreSQL computes identically,
            // only these two are written.
            case "coalesce": return .coalesce(converted, location: 0)
            case "textcat" where converted.count == 2: return .binary("||", converted[0], converted[1], location: 0)
            default: return nil
            }
        }
    }
}

extension DataType {
    /// The type as a SQL type name in PostgreSQL's own spelling (`"pg_catalog"."numeric"(15, 2)`),
    /// nil for the types that have none (`unknown`, anonymous records).
    var sqlTypeName: TypeName? {
        switch self {
        case .unknown, .record: return nil
        case .array(let element):
            guard var name = element.sqlTypeName, !name.isArray else { return nil }
            name.isArray = true
            return name
        case .numeric(let precision?, let scale?):
            return TypeName(names: ["pg_catalog", "numeric"], modifiers: [precision, scale])
        case .varchar(let length?), .bpchar(let length?):
            return TypeName(names: ["pg_catalog", postgresName], modifiers: [length])
        default:
            return TypeName(names: ["pg_catalog", postgresName])
        }
    }
}
