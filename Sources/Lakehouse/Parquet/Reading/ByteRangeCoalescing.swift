/// Groups the byte ranges a read needs into fewer, larger requests, and cuts the needed pieces back
/// out of what was fetched.
///
/// On object storage every request costs a round trip, so two pieces with a small gap between
/// them are fetched together, gap included; locally the gap costs only a copy.
enum ByteRangeCoalescing {
    /// Bytes between two needed pieces that are fetched rather than split into another request.
    static let gapBytes = 64 * 1024

    /// Sorted ranges covering every one of `pieces`, two joined when at most `gap` bytes lie
    /// between them.
    static func coalesce(_ pieces: [Range<Int>], gap: Int = gapBytes) -> [Range<Int>] {
        var merged: [Range<Int>] = []
        for piece in pieces.sorted(by: { $0.lowerBound < $1.lowerBound }) where !piece.isEmpty {
            if let last = merged.last, piece.lowerBound <= last.upperBound + gap {
                merged[merged.count - 1] = last.lowerBound..<max(last.upperBound, piece.upperBound)
            } else {
                merged.append(piece)
            }
        }
        return merged
    }

    /// `pieces` (in order) cut out of `fetched` (ranges of the file and their bytes) and joined.
    static func extract(_ pieces: [Range<Int>], from fetched: [(range: Range<Int>, bytes: [UInt8])]) -> [UInt8] {
        var joined: [UInt8] = []
        joined.reserveCapacity(pieces.reduce(0) { $0 + $1.count })
        for piece in pieces where !piece.isEmpty {
            guard
                let source = fetched.first(where: {
                    $0.range.contains(piece.lowerBound) && piece.upperBound <= $0.range.upperBound
                })
            else { preconditionFailure("piece \(piece) was not fetched") }
            let start = piece.lowerBound - source.range.lowerBound
            joined.append(contentsOf: source.bytes[start..<(start + piece.count)])
        }
        return joined
    }
}
