// swift-tools-version: 5.10
import PackageDescription

let package = Package(
    name: "aioctl",
    products: [
        .executable(name: "aioctl", targets: ["aioctl"]),
        .library(name: "AIOCore", targets: ["AIOCore"]),
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
        // `aioctl shell`'s line editor: libedit (Debian's libedit-dev) behind a
        // small C layer that owns SIGINT/SIGTERM while a line is read.
        .target(
            name: "CLineEditor",
            linkerSettings: [.linkedLibrary("edit")]
        ),
        // Contexts, requests, targets, timers, the expectation catalog, reports.
        .target(
            name: "AIOCore",
            dependencies: [
                "CAio",
                .product(name: "SystemPackage", package: "swift-system"),
                .product(name: "Histogram", package: "hdrhistogram-swift"),
            ]
        ),
        // Argument parsing and rendering only.
        .executableTarget(
            name: "aioctl",
            dependencies: [
                "AIOCore",
                "CLineEditor",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        .testTarget(name: "AIOCoreTests", dependencies: ["AIOCore", "CAio"]),
        // Scripts/ holds step-language scripts the tests run through the binary.
        .testTarget(name: "aioctlTests", dependencies: ["AIOCore"], exclude: ["Scripts"]),
    ]
)
