// swift-tools-version: 6.1
import PackageDescription

let package = Package(
    name: "solidarity",
    platforms: [.macOS(.v13)],
    products: [
        .executable(name: "solidarity", targets: ["solidarity"]),
        .library(name: "SolidarityCore", targets: ["SolidarityCore"]),
    ],
    dependencies: [
        .package(url: "https://github.com/groue/GRDB.swift", exact: "7.10.0"),
        .package(url: "https://github.com/apple/swift-argument-parser", exact: "1.8.2"),
        .package(url: "https://github.com/apple/swift-crypto", exact: "3.12.3"),
        // The coalition server. No traits: swift-configuration (hummingbird's default trait) is not used.
        .package(url: "https://github.com/hummingbird-project/hummingbird", exact: "2.28.1", traits: []),
        .package(url: "https://github.com/hummingbird-project/hummingbird-auth", exact: "2.5.0"),
    ],
    targets: [
        .target(
            name: "SolidarityCore",
            dependencies: [
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "Crypto", package: "swift-crypto"),
                // bcrypt for account passwords: a small C module, without the rest of the server.
                .product(name: "HummingbirdBcrypt", package: "hummingbird-auth"),
            ],
            resources: [
                // One entry per migration: the SQL text is compiled into the binary.
                .embedInCode("../../Migrations/0001_initial.sql"),
                .embedInCode("../../Migrations/0002_employers_and_sites.sql"),
                .embedInCode("../../Migrations/0003_activities.sql"),
                .embedInCode("../../Migrations/0004_conventions.sql"),
                .embedInCode("../../Migrations/0005_webhooks.sql"),
                .embedInCode("../../Migrations/0006_relationship_listings.sql"),
                .embedInCode("../../Migrations/0007_lookup_by_email.sql"),
                .embedInCode("../../Migrations/0008_activities_by_end.sql"),
                .embedInCode("../../Migrations/0009_title_basis_and_campaign_sources.sql"),
                .embedInCode("../../Migrations/0010_follow_up_cancelled.sql"),
                .embedInCode("../../Migrations/0011_activity_sites.sql"),
                .embedInCode("../../Migrations/0013_merges.sql"),
                .embedInCode("../../Migrations/0014_history.sql"),
                .embedInCode("../../Migrations/0015_history_imports.sql"),
                .embedInCode("../../Migrations/0016_accounts.sql"),
                .embedInCode("../../Seeds/seeds.json"),
            ]
        ),
        // libcurl is loaded with dlopen on the first delivery (see Sources/CCurl/shim.h), not linked:
        // its dependencies cost most of every command's start-up. The headers still come from this package.
        .systemLibrary(name: "CCurl", providers: [.apt(["libcurl4-openssl-dev"])]),
        .target(
            name: "SolidarityNotify",
            dependencies: [
                "SolidarityCore", "CCurl",
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "Crypto", package: "swift-crypto"),
            ]
        ),
        // The coalition server: the JSON API over the same Core, on Hummingbird 2.
        .target(
            name: "SolidarityServer",
            dependencies: [
                "SolidarityCore", "SolidarityNotify",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdTLS", package: "hummingbird"),
                .product(name: "HummingbirdAuth", package: "hummingbird-auth"),
            ],
            resources: [.embedInCode("openapi.json")]
        ),
        .target(
            name: "SolidarityCLI",
            dependencies: [
                "SolidarityCore", "SolidarityNotify", "SolidarityServer",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        .executableTarget(name: "solidarity", dependencies: ["SolidarityCLI"]),
        .testTarget(name: "SolidarityCoreTests", dependencies: ["SolidarityCore", "SolidarityTestSupport"], exclude: ["Golden", "Fixtures"]),
        // A real webhook receiver on loopback, shared by the notifier's tests and the end-to-end tests.
        .target(name: "SolidarityTestSupport", path: "Tests/SolidarityTestSupport"),
        .testTarget(name: "SolidarityNotifyTests",
                    dependencies: ["SolidarityNotify", "SolidarityCore", "SolidarityTestSupport", .product(name: "GRDB", package: "GRDB.swift")]),
        .testTarget(name: "SolidarityCLITests", dependencies: ["SolidarityCLI", "SolidarityCore", "SolidarityTestSupport", "solidarity"],
                    exclude: ["Golden"]),
        .testTarget(name: "SolidarityServerTests",
                    dependencies: ["SolidarityServer", "SolidarityCore", "SolidarityTestSupport", "solidarity"]),
    ]
)

for target in package.targets where target.type != .system {
    var settings = target.swiftSettings ?? []
    settings.append(.enableUpcomingFeature("ExistentialAny"))
    settings.append(.enableUpcomingFeature("MemberImportVisibility"))
    target.swiftSettings = settings
}
