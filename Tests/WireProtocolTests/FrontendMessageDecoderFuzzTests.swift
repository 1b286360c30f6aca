import NIOCore
import TestSupport
import Testing

@testable import WireProtocol

/// Mutation fuzzing of the frontend decoder with a fixed seed and a bounded number of inputs:
/// every input must decode, wait for more bytes, or fail with a protocol error — never crash,
/// loop, or accept a message whose length lies.
@Suite struct FrontendMessageDecoderFuzzTests {
    static let iterations = 20_000

    static var seedStream: [UInt8] {
        FrontendMessageDecoderTests.startupBytes([("user", "demo"), ("database", "lake"), ("options", "-c x=y")])
            + FrontendMessageDecoderTests.message("Q", Array("SELECT 1; SELECT 'é'".utf8) + [0])
            + FrontendMessageDecoderTests.message("P", [0] + Array("SELECT $1".utf8) + [0, 0, 1, 0, 0, 0, 23])
            + FrontendMessageDecoderTests.message("B", [0, 0, 0, 1, 0, 1, 0, 1, 0, 0, 0, 4, 0, 0, 0, 7, 0, 0])
            + FrontendMessageDecoderTests.message("D", [UInt8(ascii: "P"), 0])
            + FrontendMessageDecoderTests.message("E", [0, 0, 0, 0, 10])
            + FrontendMessageDecoderTests.message("C", [UInt8(ascii: "S"), UInt8(ascii: "s"), 0])
            + FrontendMessageDecoderTests.message("S", []) + FrontendMessageDecoderTests.message("H", [])
            + FrontendMessageDecoderTests.message("d", [1, 2, 3]) + FrontendMessageDecoderTests.message("X", [])
    }

    static func mutate(_ input: [UInt8], using generator: inout SeededGenerator) -> [UInt8] {
        var bytes = input
        for _ in 0..<Int.random(in: 1...4, using: &generator) where !bytes.isEmpty {
            let position = Int.random(in: 0..<bytes.count, using: &generator)
            switch Int.random(in: 0..<6, using: &generator) {
            case 0: bytes[position] ^= UInt8(1 << Int.random(in: 0..<8, using: &generator))
            case 1: bytes[position] = UInt8.random(in: 0...255, using: &generator)
            case 2:
                bytes.removeSubrange(position..<min(bytes.count, position + Int.random(in: 1...8, using: &generator)))
            case 3:
                bytes.insert(
                    contentsOf: (0..<Int.random(in: 1...8, using: &generator)).map { _ in
                        UInt8.random(in: 0...255, using: &generator)
                    }, at: position)
            case 4: bytes = Array(bytes.prefix(position))
            default:
                // Overwrite what may be a length field with an extreme value.
                let extremes: [UInt8] = [0x00, 0x7F, 0xFF, 0x80]
                for offset in 0..<4 where position + offset < bytes.count {
                    bytes[position + offset] = extremes.randomElement(using: &generator)!
                }
            }
        }
        return bytes
    }

    @Test func decoderSurvivesMutatedStreams() throws {
        var generator = SeededGenerator(seed: 0x5745_4952)
        let seed = Self.seedStream
        var outcomes = [0, 0, 0]
        for iteration in 0..<Self.iterations {
            let input = Self.mutate(seed, using: &generator)
            var decoder = FrontendMessageDecoder(maximumMessageLength: 1 << 20)
            var buffer = ByteBuffer()
            var remaining = input[...]
            do {
                while !remaining.isEmpty {
                    let chunk = remaining.prefix(Int.random(in: 1...64, using: &generator))
                    remaining = remaining.dropFirst(chunk.count)
                    buffer.writeBytes(chunk)
                    var decoded = 0
                    while let message = try decoder.decode(buffer: &buffer) {
                        decoded += 1
                        #expect(
                            decoded <= input.count, "iteration \(iteration): decoder produced messages from nothing")
                        if case .startup(let startup) = message { #expect(startup.protocolMajor == 3) }
                    }
                }
                outcomes[buffer.readableBytes == 0 ? 0 : 1] += 1
            } catch let error as PostgresError {
                #expect(["08P01", "22021", "0A000"].contains(error.sqlState.code), "iteration \(iteration): \(error)")
                #expect(error.severity == .fatal, "iteration \(iteration)")
                outcomes[2] += 1
            }
        }
        // The mutations must reach every outcome, or the fuzzer is not exploring.
        #expect(outcomes.allSatisfy { $0 > 0 }, "outcomes \(outcomes)")
    }
}
