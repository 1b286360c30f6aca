// Decodes every column of every row group of a Parquet file into engine columns and prints the
// wall time per run. Built and run by scripts/bench-parquet.sh against the release Lakehouse module.
import Engine
import Lakehouse

@main
struct ParquetScanBenchmark {
    static func main() async throws {
        let arguments = CommandLine.arguments
        guard arguments.count >= 2 else {
            print("usage: parquet-scan-benchmark FILE [TASKS] [RUNS]")
            return
        }
        let location = arguments[1]
        let tasks = arguments.count > 2 ? Int(arguments[2]) ?? 1 : 1
        let runs = arguments.count > 3 ? Int(arguments[3]) ?? 3 : 3
        let store = LocalObjectStore()
        let file = try await ParquetFile.open(location, in: store)
        let reader = ParquetRowGroupReader(file: file, store: store)
        let columns = Array(file.schema.columns.indices)
        for run in 1...runs {
            let start = ContinuousClock.now
            var rows = 0
            var checksum = 0
            try await withThrowingTaskGroup(of: (Int, Int).self) { group in
                for worker in 0..<tasks {
                    group.addTask {
                        var rows = 0
                        var checksum = 0
                        for rowGroup in stride(from: worker, to: file.rowGroupCount, by: tasks) {
                            let decoded = try await reader.read(rowGroup: rowGroup, columns: columns)
                            rows += decoded.first?.count ?? 0
                            checksum &+= decoded.reduce(0) { $0 &+ touch($1) }
                        }
                        return (rows, checksum)
                    }
                }
                for try await (groupRows, groupChecksum) in group {
                    rows += groupRows
                    checksum &+= groupChecksum
                }
            }
            let elapsed = ContinuousClock.now - start
            print("run \(run): \(rows) rows, \(columns.count) columns, \(tasks) task(s): \(elapsed) (checksum \(checksum))")
        }
    }

    /// A cheap function of the last value, so the decoded columns count as used.
    static func touch(_ column: Column) -> Int {
        switch column.storage {
        case .int32(let values): return Int(values.last ?? 0)
        case .int64(let values): return Int(values.last ?? 0)
        case .decimal(let values): return Int(truncatingIfNeeded: values.last ?? 0)
        case .bytes(let offsets, let data): return data.count &+ Int(offsets.last ?? 0)
        default: return column.count
        }
    }
}
