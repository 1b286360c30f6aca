// swift-tools-version: 6.1
import PackageDescription

let package = Package(
    name: "weir",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "weir", targets: ["Weir"])
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-nio.git", from: "2.101.2"),
        .package(url: "https://github.com/apple/swift-nio-ssl.git", from: "2.37.6"),
        .package(url: "https://github.com/apple/swift-crypto.git", from: "3.12.3"),
        .package(url: "https://github.com/apple/swift-argument-parser.git", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-log.git", from: "1.16.2"),
        .package(url: "https://github.com/jpsim/Yams.git", from: "5.0.1"),
        .package(url: "https://github.com/swift-server/async-http-client.git", from: "1.37.0"),
    ],
    targets: [
        // System library shims (see Sources/System/*/module.modulemap).
        .systemLibrary(name: "CPgQuery", path: "Sources/System/CPgQuery"),
        .systemLibrary(name: "CZstd", path: "Sources/System/CZstd"),
        .systemLibrary(name: "CSnappy", path: "Sources/System/CSnappy"),
        .systemLibrary(name: "CZlib", path: "Sources/System/CZlib"),
        .systemLibrary(name: "CLZ4", path: "Sources/System/CLZ4"),
        .systemLibrary(name: "CSQLite", path: "Sources/System/CSQLite"),
        .systemLibrary(name: "CLibPQ", path: "Sources/System/CLibPQ"),

        .target(name: "SQLErrors"),
        .target(name: "Engine", dependencies: ["SQLErrors"]),
        .target(name: "SQL", dependencies: ["CPgQuery", "SQLErrors"]),
        .target(name: "PostgresClient", dependencies: ["SQLErrors", "CLibPQ"]),
        .target(
            name: "Lakehouse",
            dependencies: [
                "Engine", "SQLErrors", "PostgresClient", "CZstd", "CSnappy", "CZlib", "CLZ4", "CSQLite",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "Crypto", package: "swift-crypto"),
            ]
        ),
        .target(name: "Catalog", dependencies: ["Engine", "SQL", "SQLErrors"], path: "Sources/Federation/Catalog"),
        .target(name: "SystemCatalog", dependencies: ["Catalog", "Engine", "SQLErrors"], path: "Sources/Federation/System"),
        .target(
            name: "IcebergConnector", dependencies: ["Catalog", "Engine", "Lakehouse", "SQL", "SQLErrors"],
            path: "Sources/Federation/Iceberg"),
        .target(name: "Planner", dependencies: ["Catalog", "SQL", "SQLErrors", "Engine"], path: "Sources/Federation/Planner"),
        .target(
            name: "Auth",
            dependencies: [
                "SQLErrors",
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "_CryptoExtras", package: "swift-crypto"),
            ]
        ),
        .target(
            name: "WireProtocol",
            dependencies: [
                "Engine", "Auth", "SQLErrors",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        .target(name: "Session", dependencies: ["WireProtocol", "Planner", "Catalog", "SQL", "SQLErrors", "Engine", "Auth"]),
        .executableTarget(
            name: "Weir",
            dependencies: [
                "WireProtocol", "Session", "Engine", "Auth", "Planner", "Catalog", "SystemCatalog", "IcebergConnector", "Lakehouse",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Yams", package: "Yams"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
            ]
        ),

        // libFuzzer target for the frontend decoder: scripts/fuzz-decoder.sh builds it with -sanitize=fuzzer.
        .executableTarget(
            name: "FrontendDecoderFuzzer",
            dependencies: ["WireProtocol", .product(name: "NIOCore", package: "swift-nio")],
            path: "Tests/Fuzz/FrontendDecoderFuzzer"
        ),

        .target(name: "TestSupport", dependencies: ["Auth"], path: "Tests/TestSupport"),
        .testTarget(name: "EngineTests", dependencies: ["Engine"]),
        .testTarget(name: "SQLTests", dependencies: ["SQL", "SQLErrors", "PostgresClient", "TestSupport"]),
        .testTarget(name: "LakehouseTests", dependencies: ["Lakehouse", "Engine", "TestSupport"]),
        .testTarget(name: "AuthTests", dependencies: ["Auth", "TestSupport", .product(name: "Crypto", package: "swift-crypto")]),
        .testTarget(
            name: "PlannerTests",
            dependencies: ["Planner", "Catalog", "SystemCatalog", "SQL", "Engine", "PostgresClient", "TestSupport"]),
        .testTarget(name: "IcebergConnectorTests", dependencies: ["IcebergConnector", "Catalog", "Engine", "Lakehouse"]),
        .testTarget(
            name: "WireProtocolTests",
            dependencies: [
                "WireProtocol", "Auth", "TestSupport", .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"), .product(name: "Logging", package: "swift-log"),
            ]
        ),
    ]
)
