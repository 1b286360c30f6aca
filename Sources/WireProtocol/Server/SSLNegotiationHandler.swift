import NIOCore
import NIOSSL

/// Answers SSLRequest and GSSENCRequest before anything else reads the connection.
///
/// With TLS configured it answers `S` and puts a TLS handler in front of itself on the event loop,
/// before the client's handshake can arrive; otherwise `N`. GSSAPI encryption is always `N`. It
/// removes itself once the first other message starts, passing every byte on unchanged.
final class SSLNegotiationHandler: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = ByteBuffer
    typealias InboundOut = ByteBuffer
    typealias OutboundOut = ByteBuffer

    private let sslContext: NIOSSLContext?
    private var buffered: ByteBuffer?
    private var tlsEnabled = false

    init(sslContext: NIOSSLContext?) {
        self.sslContext = sslContext
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        var incoming = unwrapInboundIn(data)
        if var pending = buffered {
            pending.writeBuffer(&incoming)
            incoming = pending
            buffered = nil
        }
        while incoming.readableBytes >= 8 {
            let length = incoming.getInteger(at: incoming.readerIndex, as: Int32.self)!
            let code = incoming.getInteger(at: incoming.readerIndex + 4, as: Int32.self)!
            guard length == 8,
                code == FrontendMessageDecoder.sslRequestCode || code == FrontendMessageDecoder.gssEncryptionRequestCode
            else {
                break
            }
            incoming.moveReaderIndex(forwardBy: 8)
            if code == FrontendMessageDecoder.sslRequestCode, let sslContext, !tlsEnabled {
                guard incoming.readableBytes == 0 else {
                    // Bytes after SSLRequest before our answer would be read unencrypted: refuse (CVE-2021-23214).
                    context.fireErrorCaught(
                        PostgresError.protocolViolation("received unencrypted data after SSL request"))
                    context.close(promise: nil)
                    return
                }
                var answer = context.channel.allocator.buffer(capacity: 1)
                answer.writeInteger(UInt8(ascii: "S"))
                context.writeAndFlush(wrapOutboundOut(answer), promise: nil)
                tlsEnabled = true
                try? context.pipeline.syncOperations.addHandler(
                    NIOSSLServerHandler(context: sslContext), position: .before(self))
                return
            }
            var answer = context.channel.allocator.buffer(capacity: 1)
            answer.writeInteger(UInt8(ascii: "N"))
            context.writeAndFlush(wrapOutboundOut(answer), promise: nil)
        }
        if incoming.readableBytes == 0 { return }
        if incoming.readableBytes < 8,
            incoming.readableBytes < 4 || incoming.getInteger(at: incoming.readerIndex, as: Int32.self) == 8
        {
            // Could be the start of another negotiation request; wait for all 8 bytes.
            buffered = incoming
            return
        }
        context.fireChannelRead(wrapInboundOut(incoming))
        context.pipeline.syncOperations.removeHandler(self, promise: nil)
    }

    func channelReadComplete(context: ChannelHandlerContext) {
        context.fireChannelReadComplete()
    }

}
