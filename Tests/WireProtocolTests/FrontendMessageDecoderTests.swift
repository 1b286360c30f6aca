import NIOCore
import Testing

@testable import WireProtocol

@Suite struct FrontendMessageDecoderTests {
    func decodeAll(_ bytes: [UInt8], decoder: inout FrontendMessageDecoder) throws -> [FrontendMessage] {
        var buffer = ByteBuffer(bytes: bytes)
        var messages: [FrontendMessage] = []
        while let message = try decoder.decode(buffer: &buffer) { messages.append(message) }
        return messages
    }

    static func startupBytes(_ parameters: [(String, String)]) -> [UInt8] {
        var body: [UInt8] = [0, 3, 0, 0]
        for (name, value) in parameters { body += Array(name.utf8) + [0] + Array(value.utf8) + [0] }
        body.append(0)
        let length = UInt32(body.count + 4)
        return withUnsafeBytes(of: length.bigEndian, Array.init) + body
    }

    static func message(_ type: Character, _ body: [UInt8]) -> [UInt8] {
        [type.asciiValue!] + withUnsafeBytes(of: UInt32(body.count + 4).bigEndian, Array.init) + body
    }

    @Test func startupThenQuery() throws {
        var decoder = FrontendMessageDecoder()
        let bytes =
            Self.startupBytes([("user", "demo"), ("database", "lake")])
            + Self.message("Q", Array("SELECT 1".utf8) + [0])
        let messages = try decodeAll(bytes, decoder: &decoder)
        #expect(
            messages == [
                .startup(StartupMessage(parameters: [("user", "demo"), ("database", "lake")])), .query("SELECT 1"),
            ])
    }

    @Test func shortInputWaitsForMore() throws {
        var decoder = FrontendMessageDecoder()
        let full = Self.startupBytes([("user", "demo")]) + Self.message("Q", Array("SELECT 1".utf8) + [0])
        var buffer = ByteBuffer(bytes: full.prefix(5))
        #expect(try decoder.decode(buffer: &buffer) == nil)
        #expect(buffer.readableBytes == 5)
        buffer.writeBytes(full.dropFirst(5))
        #expect(try decoder.decode(buffer: &buffer) == .startup(StartupMessage(parameters: [("user", "demo")])))
        #expect(try decoder.decode(buffer: &buffer) == .query("SELECT 1"))
    }

    @Test func sslAndCancelRequests() throws {
        var decoder = FrontendMessageDecoder()
        #expect(try decodeAll([0, 0, 0, 8, 4, 210, 22, 47], decoder: &decoder) == [.sslRequest])
        #expect(
            try decodeAll([0, 0, 0, 16, 4, 210, 22, 46, 0, 0, 0, 7, 0, 0, 0, 9], decoder: &decoder) == [
                .cancelRequest(processID: 7, secretKey: 9)
            ])
    }

    @Test func bindWithNullAndBinaryParameter() throws {
        var decoder = FrontendMessageDecoder()
        _ = try decodeAll(Self.startupBytes([("user", "demo")]), decoder: &decoder)
        let body: [UInt8] =
            [0, 0] + [0, 1, 0, 1] + [0, 2] + [255, 255, 255, 255] + [0, 0, 0, 4, 0, 0, 0, 42] + [0, 1, 0, 1]
        guard case .bind(let bind) = try decodeAll(Self.message("B", body), decoder: &decoder).first else {
            Issue.record("no bind")
            return
        }
        #expect(bind.parameterFormats == [1])
        #expect(bind.parameters.count == 2)
        #expect(bind.parameters[0] == nil)
        #expect(bind.parameters[1]?.getInteger(at: bind.parameters[1]!.readerIndex, as: Int32.self) == 42)
        #expect(bind.resultFormats == [1])
    }

    @Test(arguments: [
        ([UInt8]([0, 0, 0, 2, 0, 3, 0, 0]), "invalid length of startup packet"),
        ([0, 0, 0, 9, 0, 2, 0, 0, 0], "unsupported frontend protocol 2.0: server supports 3.0 to 3.0"),
    ])
    func malformedStartupIsFatal(bytes: [UInt8], message: String) {
        var decoder = FrontendMessageDecoder()
        let error = #expect(throws: PostgresError.self) { try decodeAll(bytes, decoder: &decoder) }
        #expect(error?.severity == .fatal)
        #expect(error?.message == message)
    }

    @Test func lyingLengthsAndUnknownTypesAreRejected() throws {
        var decoder = FrontendMessageDecoder(maximumMessageLength: 1024)
        _ = try decodeAll(Self.startupBytes([("user", "demo")]), decoder: &decoder)
        #expect(throws: PostgresError.protocolViolation("invalid message length 2")) {
            try decodeAll([UInt8(ascii: "Q"), 0, 0, 0, 2], decoder: &decoder)
        }
        #expect(throws: PostgresError.protocolViolation("message of 4096 bytes exceeds the limit of 1024 bytes")) {
            try decodeAll([UInt8(ascii: "Q"), 0, 0, 16, 0], decoder: &decoder)
        }
        #expect(throws: PostgresError.protocolViolation("invalid frontend message type \"!\"")) {
            try decodeAll(Self.message("!", []), decoder: &decoder)
        }
        #expect(throws: PostgresError.protocolViolation("invalid message format")) {
            try decodeAll(Self.message("Q", Array("no terminator".utf8)), decoder: &decoder)
        }
    }

    @Test func invalidUTF8InQueryIsRejected() throws {
        var decoder = FrontendMessageDecoder()
        _ = try decodeAll(Self.startupBytes([("user", "demo")]), decoder: &decoder)
        #expect(
            throws: PostgresError(
                .fatal, sqlState: .characterNotInRepertoire, message: "invalid byte sequence for encoding \"UTF8\"")
        ) {
            try decodeAll(Self.message("Q", [0xC3, 0x28, 0]), decoder: &decoder)
        }
    }
}
