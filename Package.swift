// swift-tools-version:6.1
import PackageDescription

let swiftSettings: [SwiftSetting] = [
    .enableUpcomingFeature("ExistentialAny")
]

let package = Package(
    name: "kilpi",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "kilpi", targets: ["kilpi"])
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser.git", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-crypto.git", from: "4.5.2"),
        .package(url: "https://github.com/apple/swift-log.git", from: "1.16.2"),
        .package(url: "https://github.com/apple/swift-nio.git", from: "2.101.2"),
        .package(url: "https://github.com/apple/swift-nio-ssl.git", from: "2.37.6"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle.git", from: "2.13.0"),
        .package(url: "https://github.com/hummingbird-project/hummingbird.git", from: "2.28.1"),
        .package(url: "https://github.com/hummingbird-project/swift-mustache.git", from: "2.1.1"),
        .package(url: "https://github.com/vapor/sql-kit.git", from: "3.36.0"),
        .package(url: "https://github.com/vapor/sqlite-kit.git", from: "4.5.2"),
        .package(url: "https://github.com/vapor/postgres-kit.git", from: "2.17.0"),
        .package(url: "https://github.com/vapor/postgres-nio.git", from: "1.33.2"),
        .package(url: "https://github.com/JohnSundell/Ink.git", from: "0.6.0"),
    ],
    targets: [
        // Domain types and pure rules. Crypto is allowed here because the security rules
        // (password hashing, TOTP, audit-chain hashing) are pure computation, not I/O.
        .target(
            name: "KilpiCore",
            dependencies: [
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "CryptoExtras", package: "swift-crypto"),
            ],
            resources: [.copy("Resources/common-passwords.txt"), .copy("Resources/playbooks")],
            swiftSettings: swiftSettings
        ),
        .target(
            name: "KilpiStore",
            dependencies: [
                "KilpiCore",
                .product(name: "SQLKit", package: "sql-kit"),
                .product(name: "SQLiteKit", package: "sqlite-kit"),
                .product(name: "PostgresKit", package: "postgres-kit"),
                .product(name: "PostgresNIO", package: "postgres-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: swiftSettings
        ),
        // Public Markdown (trust-center posts and guides): Ink renders it, then a strict allowlist sanitises it.
        .target(
            name: "KilpiMarkdown",
            dependencies: [.product(name: "Ink", package: "Ink")],
            swiftSettings: swiftSettings
        ),
        .target(
            name: "KilpiWeb",
            dependencies: [
                "KilpiCore", "KilpiStore", "KilpiMail", "KilpiMarkdown",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: swiftSettings
        ),
        // The system's OpenSSL 3 libcrypto (libssl-dev), for DKIM's RSA signatures only: several times faster than
        // BoringSSL's on CPUs with AVX-512 IFMA.
        .systemLibrary(
            name: "CSystemOpenSSL",
            path: "Sources/CSystemOpenSSL",
            pkgConfig: "libcrypto",
            providers: [.apt(["libssl-dev"]), .brew(["openssl@3"])]
        ),
        // Notices: templates (Mustache), MIME, DKIM, the SMTP client on NIO, DSN parsing, the delivery workers.
        .target(
            name: "KilpiMail",
            dependencies: [
                "KilpiCore", "KilpiStore", "CSystemOpenSSL",
                .product(name: "Mustache", package: "swift-mustache"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "CryptoExtras", package: "swift-crypto"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: swiftSettings
        ),
        .executableTarget(
            name: "kilpi",
            dependencies: [
                "KilpiCore", "KilpiStore", "KilpiMail", "KilpiWeb",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            swiftSettings: swiftSettings
        ),
        // Shared by the test targets: fresh databases on both engines, a hand-moved clock.
        .target(
            name: "KilpiTestSupport",
            dependencies: [
                "KilpiCore", "KilpiStore",
                .product(name: "PostgresNIO", package: "postgres-nio"),
                .product(name: "Logging", package: "swift-log"),
            ],
            path: "Tests/KilpiTestSupport",
            swiftSettings: swiftSettings
        ),
        // Benchmarks print figures and never fail a build or test on speed. Run them in release.
        .executableTarget(
            name: "kilpi-bench-import",
            dependencies: ["KilpiCore", "KilpiStore", .product(name: "Logging", package: "swift-log")],
            path: "Benchmarks/ImportBenchmark",
            swiftSettings: swiftSettings
        ),
        .executableTarget(
            name: "kilpi-bench-exposure",
            dependencies: ["KilpiCore", "KilpiStore", .product(name: "Logging", package: "swift-log")],
            path: "Benchmarks/ExposureBenchmark",
            swiftSettings: swiftSettings
        ),
        .target(name: "KilpiBenchSupport", path: "Benchmarks/Support", swiftSettings: swiftSettings),
        .executableTarget(
            name: "kilpi-bench-dkim",
            dependencies: ["KilpiMail", "KilpiBenchSupport"],
            path: "Benchmarks/DKIMBenchmark",
            swiftSettings: swiftSettings
        ),
        .executableTarget(
            name: "kilpi-bench-notices",
            dependencies: [
                "KilpiCore", "KilpiStore", "KilpiMail", "KilpiBenchSupport",
                .product(name: "Logging", package: "swift-log"),
            ],
            path: "Benchmarks/NoticeBenchmark",
            swiftSettings: swiftSettings
        ),
        .executableTarget(
            name: "kilpi-bench-support",
            dependencies: [
                "KilpiCore", "KilpiStore", "KilpiMail", "KilpiBenchSupport",
                .product(name: "Logging", package: "swift-log"),
            ],
            path: "Benchmarks/SupportBenchmark",
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "KilpiCoreTests",
            dependencies: ["KilpiCore", "KilpiTestSupport"],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "KilpiMailTests",
            dependencies: [
                "KilpiMail", "KilpiStore", "KilpiTestSupport",
                .product(name: "CryptoExtras", package: "swift-crypto"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
            ],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "KilpiStoreTests",
            dependencies: ["KilpiStore", "KilpiTestSupport"],
            swiftSettings: swiftSettings
        ),
        // Runs the real `kilpi` binary as a subprocess: exit codes, stderr lines, printed links.
        .testTarget(
            name: "KilpiCLITests",
            dependencies: ["kilpi", "KilpiMail", "KilpiStore", "KilpiTestSupport"],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "KilpiWebTests",
            dependencies: [
                "KilpiWeb", "KilpiStore", "KilpiMarkdown", "KilpiTestSupport",
                .product(name: "HummingbirdTesting", package: "hummingbird"),
            ],
            swiftSettings: swiftSettings
        ),
    ]
)
