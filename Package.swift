// swift-tools-version: 5.10
import PackageDescription

let package = Package(
    name: "aioctl",
    products: [
        .executable(name: "aioctl", targets: ["aioctl"]),
        .library(name: "AIOCore", targets: ["AIOCore"]),
        .library(name: "KAPISpec", targets: ["KAPISpec"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-system", from: "1.8.1"),
        .package(url: "https://github.com/HdrHistogram/hdrhistogram-swift", from: "0.2.0"),
    ],
    targets: [
        // The only C: libaio's wrappers and the raw syscalls, which Swift cannot
        // reach because syscall(2) is variadic.
        .target(
            name: "CAio",
            linkerSettings: [.linkedLibrary("aio")]
        ),
        // Contexts, requests, targets, timers, the expectation catalog, reports.
        .target(
            name: "AIOCore",
            dependencies: [
                "CAio",
                "KAPISpec",
                .product(name: "SystemPackage", package: "swift-system"),
                .product(name: "Histogram", package: "hdrhistogram-swift"),
            ]
        ),
        // The draft Kernel API Specifications read as data (kerneldoc in a
        // patch, mail or source file, or tools/kapi's JSON). Pure Swift, no AIOCore.
        .target(name: "KAPISpec"),
        // Argument parsing and rendering only.
        .executableTarget(
            name: "aioctl",
            dependencies: [
                "AIOCore",
                "KAPISpec",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        .testTarget(name: "AIOCoreTests", dependencies: ["AIOCore", "CAio"]),
        .testTarget(name: "KAPISpecTests", dependencies: ["KAPISpec"]),
        // The catalog against its documents: the seed spec, the man pages' roff.
        .testTarget(name: "ReviewTests", dependencies: ["AIOCore", "KAPISpec"]),
        // Scripts/ holds step-language scripts the tests run through the binary.
        .testTarget(name: "aioctlTests", dependencies: ["AIOCore"], exclude: ["Scripts"]),
    ]
)
