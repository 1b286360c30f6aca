/// The users Weir knows from its configuration, with their SCRAM verifiers, how they sign in and
/// where they may connect from.
public struct UserDirectory: Sendable {
    public struct User: Sendable {
        public let name: String
        public let verifier: SCRAMVerifier
        /// The exchange the user signs in with.
        public let method: AuthenticationMethod
        public let roles: [String]
        public let isSuperuser: Bool
        /// Client address rules; empty means any address.
        public let allowedNetworks: [NetworkRule]

        public init(
            name: String, verifier: SCRAMVerifier, method: AuthenticationMethod = .scramSHA256, roles: [String] = [],
            isSuperuser: Bool = false, allowedNetworks: [NetworkRule] = []
        ) {
            self.name = name
            self.verifier = verifier
            self.method = method
            self.roles = roles
            self.isSuperuser = isSuperuser
            self.allowedNetworks = allowedNetworks
        }
    }

    private let users: [String: User]
    /// Whether a password may travel in clear text over a connection without TLS.
    public let allowsCleartextWithoutTLS: Bool

    public init(users: [User], allowsCleartextWithoutTLS: Bool = false) {
        self.users = Dictionary(users.map { ($0.name, $0) }, uniquingKeysWith: { _, last in last })
        self.allowsCleartextWithoutTLS = allowsCleartextWithoutTLS
    }

    public func user(named name: String) -> User? { users[name] }

    /// The principal for an authenticated user.
    public func principal(for user: User) -> Principal {
        Principal(user: user.name, roles: user.roles, isSuperuser: user.isSuperuser)
    }
}

/// An address rule: `loopback`, `any`, or a CIDR block such as `10.0.0.0/8`.
public enum NetworkRule: Sendable, Equatable {
    case loopback
    case any
    case cidr(address: [UInt8], prefixLength: Int)

    /// Parses `loopback`, `any` / `all`, or an IPv4/IPv6 CIDR; nil when malformed.
    public init?(parsing text: String) {
        switch text.lowercased() {
        case "loopback", "localhost", "samehost": self = .loopback
        case "any", "all": self = .any
        default:
            let parts = text.split(separator: "/")
            guard let address = NetworkRule.addressBytes(String(parts[0])) else { return nil }
            let prefix = parts.count == 2 ? Int(parts[1]) : address.count * 8
            guard let prefix, (0...address.count * 8).contains(prefix) else { return nil }
            self = .cidr(address: address, prefixLength: prefix)
        }
    }

    /// True when a client at `address` (raw IPv4 or IPv6 bytes) matches this rule.
    public func matches(_ address: [UInt8]) -> Bool {
        switch self {
        case .any: return true
        case .loopback:
            if address.count == 4 { return address[0] == 127 }
            return address == Array(repeating: 0, count: 15) + [1]
                || (address.count == 16 && address[0..<10].allSatisfy { $0 == 0 } && address[10] == 0xFF
                    && address[11] == 0xFF && address[12] == 127)
        case .cidr(let network, let prefixLength):
            guard network.count == address.count else { return false }
            for bit in 0..<prefixLength {
                let mask = UInt8(0x80) >> UInt8(bit % 8)
                if network[bit / 8] & mask != address[bit / 8] & mask { return false }
            }
            return true
        }
    }

    static func addressBytes(_ text: String) -> [UInt8]? {
        let octets = text.split(separator: ".", omittingEmptySubsequences: false)
        if octets.count == 4 {
            let bytes = octets.compactMap { UInt8($0) }
            return bytes.count == 4 ? bytes : nil
        }
        guard text.contains(":") else { return nil }
        let halves = text.components(separatedBy: "::")
        guard halves.count <= 2 else { return nil }
        func groups(_ part: String) -> [UInt16]? {
            part.isEmpty
                ? []
                : part.split(separator: ":").map { UInt16($0, radix: 16) }.allSatisfy { $0 != nil }
                    ? part.split(separator: ":").map { UInt16($0, radix: 16)! } : nil
        }
        guard let head = groups(halves[0]), let tail = halves.count == 2 ? groups(halves[1]) : [] else { return nil }
        let missing = 8 - head.count - tail.count
        guard missing >= 0, halves.count == 2 || missing == 0 else { return nil }
        let all = head + Array(repeating: 0, count: missing) + tail
        return all.flatMap { [UInt8($0 >> 8), UInt8($0 & 0xFF)] }
    }
}

import Foundation
