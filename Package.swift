// swift-tools-version: 6.0
import PackageDescription

// Layers, each a target, so the compiler enforces that the arrows go one way:
//   CAio (C)  <-  AIOKernel  <-  AIODocuments  <-  AIOEngine  <-  aioctl
//   KAPISpec (the draft specs read as data)  <-  AIOEngine
//   JSONValue (a JSON value, its reader and writer)  <-  AIOKernel, KAPISpec
// AIOKernel makes the calls and records them; AIODocuments says what each
// document claims and judges a record against it; AIOEngine runs programs
// (world model, classifier, runner, step language) for every door; the
// executable parses arguments and renders.
let package = Package(
    name: "aioctl",
    products: [
        .executable(name: "aioctl", targets: ["aioctl"]),
        .library(name: "AIOEngine", targets: ["AIOEngine"]),
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
        // `aioctl shell`'s line editor: libedit (Debian's libedit-dev) behind a
        // small C layer that owns SIGINT/SIGTERM while a line is read. libedit's
        // own libraries are named too (in link order), for the fully static
        // executable `make install` builds, where nothing brings them in.
        .target(
            name: "CLineEditor",
            linkerSettings: [.linkedLibrary("edit"), .linkedLibrary("tinfo"), .linkedLibrary("bsd"),
                             .linkedLibrary("md")]
        ),
        // Kernel calls: the five syscalls through libaio or syscall(2), timed,
        // errno named, in memory the caller owns; call records without judgements.
        .target(name: "JSONValue"),
        .target(
            name: "AIOKernel",
            dependencies: [
                "CAio", "JSONValue",
                .product(name: "SystemPackage", package: "swift-system"),
                .product(name: "Histogram", package: "hdrhistogram-swift"),
            ]
        ),
        // Documents: the catalog of situations and each source's claims, and the judge.
        .target(name: "AIODocuments", dependencies: ["AIOKernel"]),
        // One engine: world model, situation classifier, runner, step language,
        // and the doors' programs (check's scenarios, cancel's probe, race, bench).
        .target(name: "AIOEngine", dependencies: ["AIOKernel", "AIODocuments", "KAPISpec", "CAio"]),
        // The draft Kernel API Specifications read as data (kerneldoc in a
        // patch, mail or source file, or tools/kapi's JSON). Pure Swift; only JSONValue below it.
        .target(name: "KAPISpec", dependencies: ["JSONValue"]),
        // Argument parsing and rendering only.
        .executableTarget(
            name: "aioctl",
            dependencies: [
                "AIOEngine", "AIODocuments", "AIOKernel", "KAPISpec", "CLineEditor",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        .testTarget(name: "AIOCoreTests", dependencies: ["AIOEngine", "AIODocuments", "AIOKernel", "CAio"]),
        .testTarget(name: "KAPISpecTests", dependencies: ["KAPISpec", "JSONValue"]),
        // The catalog against its documents: the seed spec, the man pages' roff.
        .testTarget(name: "ReviewTests", dependencies: ["AIOEngine", "AIODocuments", "AIOKernel", "KAPISpec"]),
        // Scripts/ holds step-language scripts the tests run through the binary.
        // Most of these run the binary; QuickReaderTests also holds the
        // executable's quick reader to swift-argument-parser in process.
        .testTarget(name: "aioctlTests",
                    dependencies: ["aioctl", "AIOEngine", "AIODocuments", "AIOKernel",
                                   .product(name: "ArgumentParser", package: "swift-argument-parser")],
                    exclude: ["Scripts"]),
    ],
    swiftLanguageModes: [.v6]
)
