import Foundation
import NIOCore
import WireProtocol

/// A libFuzzer target for the frontend message decoder (built by `scripts/fuzz-decoder.sh` with
/// `-sanitize=fuzzer`): every input, fed in small chunks as a socket would deliver it, must decode,
/// wait for more bytes, or fail with a FATAL protocol error; anything else stops the fuzzer.
///
/// Without `-DLIBFUZZER` it is a plain program that replays the files it is given, so a crashing
/// input libFuzzer saved can be rerun under a debugger.
enum FrontendDecoderFuzzer {
    static func run(_ input: UnsafeRawBufferPointer) {
        var decoder = FrontendMessageDecoder(maximumMessageLength: 1 << 20)
        var buffer = ByteBuffer()
        var offset = 0
        // The first byte picks the chunk size, so the fuzzer also explores split messages.
        let chunk = 1 + Int(input.first ?? 0) % 64
        do {
            while offset < input.count {
                let end = min(input.count, offset + chunk)
                buffer.writeBytes(UnsafeRawBufferPointer(rebasing: input[offset..<end]))
                offset = end
                var messages = 0
                while try decoder.decode(buffer: &buffer) != nil {
                    messages += 1
                    precondition(messages <= input.count, "messages decoded from no bytes")
                }
            }
        } catch let error as PostgresError {
            precondition(
                [.protocolViolation, .characterNotInRepertoire, .featureNotSupported].contains(error.sqlState),
                "unexpected SQLSTATE \(error.sqlState)")
            precondition(error.severity == .fatal, "a decoder error must end the connection")
        } catch {
            preconditionFailure("decoder threw \(error)")
        }
    }
}

#if LIBFUZZER
    /// libFuzzer's driver (libclang_rt.fuzzer): SwiftPM gives every executable its own `main`, so the
    /// program calls the driver instead of linking libFuzzer's.
    @_silgen_name("LLVMFuzzerRunDriver")
    func runFuzzerDriver(
        _ argc: UnsafeMutablePointer<CInt>,
        _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>>,
        _ callback: @convention(c) (UnsafePointer<UInt8>?, Int) -> CInt
    ) -> CInt

    /// The entry point libFuzzer calls with each input.
    @_cdecl("LLVMFuzzerTestOneInput")
    public func fuzzOneInput(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
        FrontendDecoderFuzzer.run(UnsafeRawBufferPointer(start: data, count: size))
        return 0
    }

    @main struct FuzzFrontendDecoder {
        static func main() {
            var argc = CommandLine.argc
            var argv = CommandLine.unsafeArgv
            exit(runFuzzerDriver(&argc, &argv, fuzzOneInput))
        }
    }
#else
    @main struct ReplayInputs {
        static func main() throws {
            for path in CommandLine.arguments.dropFirst() {
                let bytes = try Data(contentsOf: URL(fileURLWithPath: path))
                bytes.withUnsafeBytes { FrontendDecoderFuzzer.run($0) }
                print("ok \(path)")
            }
        }
    }
#endif
