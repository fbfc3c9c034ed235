import KAPISpec
import XCTest

/// The reader on small specifications written for these tests (the drafts
/// themselves are the user's input, not the repository's), in both dialects
/// and in every container: patch, quoted-printable mail, source, JSON.
final class KAPIParserTests: XCTestCase {
    /// RFC v5's dialect: KAPI_* names, fields indented under their entry.
    static let rfcStyle = """
        /**
         * sys_frob - Frobnicate a widget
         * @count: how many
         *
         * long-desc: Frobs up to count widgets. A prose line: with a colon.
         *
         * context-flags: KAPI_CTX_PROCESS | KAPI_CTX_SLEEPABLE
         *
         * param: count
         *   type: KAPI_TYPE_UINT
         *   flags: KAPI_PARAM_IN
         *   constraint-type: KAPI_CONSTRAINT_RANGE
         *   range: 1, 64
         *   constraint: At least one, at most
         *     sixty-four.
         *
         * return:
         *   type: KAPI_TYPE_INT
         *   success: 0
         *   desc: Zero when frobbed.
         *
         * error: EINVAL, Count out of range
         *   desc: count is 0 or above 64.
         *
         * error: EINVAL, Widget busy
         *   desc: Another frob holds it.
         *
         * signal: SIGKILL
         *   direction: KAPI_SIGNAL_RECEIVE
         *   error: -EINTR
         *
         * side-effect: KAPI_EFFECT_MODIFY_STATE
         *   target: frob_nr (global counter)
         *   desc: Grows by count.
         *   reversible: yes
         *
         * state-trans: frob counter
         *   from: N
         *   to: N + count
         *
         * constraint: Frob limit
         *   desc: Never more than frob_max.
         *   expr: frob_nr + count <= frob_max
         *
         * notes: First paragraph.
         *
         *   Second paragraph.
         *
         * since-version: 6.1
         */
        SYSCALL_DEFINE1(frob, unsigned, count)
        """

    /// The 2026 postings' dialect: short tokens, cdesc, errno in signals.
    static let shortStyle = """
        /**
         * sys_twiddle - Twiddle a knob
         * contexts: process, sleepable
         * param: knob
         *   type: fd, input
         *   constraint-type: range(0, KMAX)
         *   cdesc: A knob descriptor.
         * return:
         *   type: int
         *   check-type: exact
         *   success: 0
         * error: EBADF, Bad knob
         *   desc: knob is not open.
         * signal: pending_signals
         *   direction: receive
         *   errno: -EINTR
         * side-effect: resource_destroy | irreversible
         *   target: Knob table entry
         *   reversible: no
         */
        """

    func testRFCDialect() throws {
        let specs = try KAPIParser.parse(Self.rfcStyle, file: "frob.c")
        XCTAssertEqual(specs.count, 1)
        let spec = try XCTUnwrap(specs.first)
        XCTAssertEqual(spec.name, "frob")
        XCTAssertEqual(spec.functionName, "sys_frob")
        XCTAssertEqual(spec.summary, "Frobnicate a widget")
        XCTAssertEqual(spec.dialect, .rfcV5)
        let param = try XCTUnwrap(spec.entry(.param, key: "count"))
        XCTAssertEqual(param.range?.lower, "1")
        XCTAssertEqual(param.range?.upper, "64")
        XCTAssertEqual(param.field("constraint"), "At least one, at most sixty-four.", "continuation joined")
        XCTAssertEqual(spec.entry(.return, key: "return")?.success, "0")
        XCTAssertEqual(spec.entries(.error).count, 2)
        XCTAssertEqual(spec.entry(.error, key: "EINVAL", summary: "Widget busy")?.field("desc"), "Another frob holds it.")
        XCTAssertEqual(spec.entry(.signal, key: "SIGKILL")?.field("error"), "-EINTR", "a signal's error: is its field")
        XCTAssertEqual(spec.entries(.signal).count, 1)
        XCTAssertEqual(spec.entries(.error).count, 2, "the signal's error: did not open an error entry")
        XCTAssertNotNil(spec.entry(.sideEffect, key: "frob_nr (global counter)"))
        XCTAssertEqual(spec.entry(.stateTrans, key: "frob counter")?.field("to"), "N + count")
        XCTAssertEqual(spec.entry(.constraint, key: "Frob limit")?.field("expr"), "frob_nr + count <= frob_max")
        XCTAssertEqual(spec.entries(.constraint).count, 1, "the param's constraint: stayed a field")
        XCTAssertEqual(spec.entry(.notes, key: "notes")?.header, "First paragraph.\nSecond paragraph.")
        XCTAssertEqual(spec.entry(.longDesc, key: "long-desc")?.header,
                       "Frobs up to count widgets. A prose line: with a colon.")
        XCTAssertEqual(spec.entry(.sinceVersion, key: "6.1")?.line, 49)
    }

    func testShortTokenDialect() throws {
        let spec = try XCTUnwrap(try KAPIParser.parse(Self.shortStyle, file: "twiddle.c").first)
        XCTAssertEqual(spec.dialect, .shortTokens)
        XCTAssertEqual(spec.entry(.contexts, key: "process, sleepable")?.kind, .contexts)
        let knob = try XCTUnwrap(spec.entry(.param, key: "knob"))
        XCTAssertEqual(knob.range?.upper, "KMAX")
        XCTAssertEqual(knob.description, "A knob descriptor.")
        XCTAssertEqual(spec.entry(.signal, key: "pending_signals")?.field("errno"), "-EINTR")
        XCTAssertEqual(spec.entry(.sideEffect, key: "Knob table entry")?.header, "resource_destroy | irreversible")
        XCTAssertEqual(spec.entry(.error, key: "EBADF")?.summary, "Bad knob")
    }

    /// Added and context lines make the new file; removed lines are gone. The
    /// block's closing line is often context, left from the old comment.
    func testPatchGivesTheFileAsPatched() throws {
        let removed = "-/* sys_frob: the old comment, with error: EPERM, Old */\n"
        var body = Self.rfcStyle.split(separator: "\n").map { "+" + $0 }
        body[body.count - 2] = "  */"
        let added = body.joined(separator: "\n")
        let patch = "From: someone\nSubject: [PATCH] frob\n\ndiff --git a/x.c b/x.c\n--- a/x.c\n+++ b/x.c\n@@ -1,3 +1,60 @@\n"
            + removed + added + "\n-- \n2.51.0\n"
        let spec = try XCTUnwrap(try KAPIParser.parse(patch, file: "frob.patch").first)
        XCTAssertEqual(spec.entries(.error).count, 2)
        XCTAssertNil(spec.entry(.error, key: "EPERM"))
        XCTAssertEqual(spec.entry(.param, key: "count")?.line, 8 + 9, "lines are the patch file's own")
    }

    func testQuotedPrintableMailIsDecoded() throws {
        let body = """
            +/**
            + * sys_frob - Frobnicate a wid=
            get
            + * error: EINVAL, Count =3D=3D 0
            + *   desc: count is 0.
            + */
            """
        let mail = "From: someone\nContent-Transfer-Encoding: quoted-printable\n\ndiff --git a/x.c b/x.c\n" + body + "\n"
        let spec = try XCTUnwrap(try KAPIParser.parse(mail, file: "frob.eml").first)
        XCTAssertEqual(spec.summary, "Frobnicate a widget")
        XCTAssertEqual(spec.entry(.error, key: "EINVAL")?.summary, "Count == 0")
    }

    func testToolsKapiJSON() throws {
        let json = """
            {"api_details": {"name": "sys_frob", "description": "Frobnicate",
              "parameters": [{"name": "count", "type_name": "KAPI_TYPE_UINT", "min_value": 1, "max_value": 64}],
              "return_spec": {"type_name": "KAPI_TYPE_INT", "success_value": 0, "description": "zero"},
              "errors": [{"error_code": -22, "name": "EINVAL", "condition": "Count out of range", "description": "d"}],
              "side_effects": [{"effect_type": 4, "target": "frob_nr", "description": "grows"}],
              "constraints": [{"name": "Frob limit", "description": "x", "expression": "a <= b"}]}}
            """
        let spec = try XCTUnwrap(try KAPIParser.parse(json, file: "frob.json").first)
        XCTAssertEqual(spec.name, "frob")
        XCTAssertEqual(spec.entry(.param, key: "count")?.range?.upper, "64")
        XCTAssertEqual(spec.entry(.return, key: "return")?.success, "0")
        XCTAssertEqual(spec.entry(.error, key: "EINVAL")?.summary, "Count out of range")
        XCTAssertNotNil(spec.entry(.sideEffect, key: "frob_nr"))
        XCTAssertEqual(spec.entry(.constraint, key: "Frob limit")?.field("expr"), "a <= b")
    }

    /// Side effects and state transitions under the field names the series'
    /// extractor gives them (tools/kapi/src/extractor/mod.rs: SideEffectSpec
    /// {effect_type, target, condition, description, reversible} and
    /// StateTransitionSpec {object, from_state, to_state, condition,
    /// description}, serialized by serde into api_details). A fixture of our
    /// own, shaped as serde writes it: Option::None as null, numbers bare.
    func testToolsKapiJSONSideEffectsAndStateTransitions() throws {
        let json = """
            {
              "api_details": {
                "name": "sys_widget_open",
                "description": "Open a widget",
                "state_transitions": [
                  {"object": "widget table", "from_state": "n widgets", "to_state": "n + 1 widgets",
                   "condition": "the call succeeds", "description": "one more widget"},
                  {"object": "widget mode", "from_state": "closed", "to_state": "open",
                   "condition": null, "description": "opened"}
                ],
                "side_effects": [
                  {"effect_type": 4, "target": "widget_count (global)", "condition": null,
                   "description": "Adds one to the count.", "reversible": true},
                  {"effect_type": 1, "target": "widget buffer", "condition": "size > 0",
                   "description": "Allocates the buffer.", "reversible": false}
                ]
              }
            }
            """
        let spec = try XCTUnwrap(try KAPIParser.parse(json, file: "widget.json").first)
        XCTAssertEqual(spec.name, "widget_open")

        // A side effect is keyed by its target, as the catalog cites it.
        let count = try XCTUnwrap(spec.entry(.sideEffect, key: "widget_count (global)"))
        XCTAssertEqual(count.header, "4", "effect_type comes as the number the extractor writes")
        XCTAssertEqual(count.field("desc"), "Adds one to the count.")
        XCTAssertEqual(count.field("reversible"), "yes")
        XCTAssertNil(count.field("condition"), "a null condition is no condition, not the text 'null'")
        let buffer = try XCTUnwrap(spec.entry(.sideEffect, key: "widget buffer"))
        XCTAssertEqual(buffer.field("condition"), "size > 0")
        XCTAssertEqual(buffer.field("reversible"), "no")

        // A state transition is keyed by its object; from and to as the kerneldoc names them.
        let table = try XCTUnwrap(spec.entry(.stateTrans, key: "widget table"))
        XCTAssertEqual(table.field("from"), "n widgets")
        XCTAssertEqual(table.field("to"), "n + 1 widgets")
        XCTAssertEqual(table.field("condition"), "the call succeeds")
        XCTAssertEqual(table.field("desc"), "one more widget")
        XCTAssertNil(try XCTUnwrap(spec.entry(.stateTrans, key: "widget mode")).field("condition"))
        XCTAssertEqual(spec.entries(.sideEffect).count, 2)
        XCTAssertEqual(spec.entries(.stateTrans).count, 2)
    }

    // MARK: bad and partial input: an error naming the line, never a crash

    private func failure(_ text: String, file: String = "bad.c") -> KAPIParseError? {
        do {
            _ = try KAPIParser.parse(text, file: file)
            return nil
        } catch let error as KAPIParseError {
            return error
        } catch {
            XCTFail("unexpected error type \(error)")
            return nil
        }
    }

    func testAnUnclosedBlockNamesTheLineItOpens() {
        let cut = Self.rfcStyle.split(separator: "\n").prefix(20).joined(separator: "\n")
        XCTAssertEqual(failure(cut)?.line, 1)
        XCTAssertTrue(failure(cut)?.message.contains("never closed") ?? false)
    }

    func testAnErrorWithoutSummaryNamesItsLine() {
        let text = "/**\n * sys_x - X\n * error: EINVAL\n */\n"
        XCTAssertEqual(failure(text)?.line, 3)
        XCTAssertEqual(failure(text)?.description, "bad.c:3: 'error:' needs 'ERRNO, summary', got 'EINVAL'")
    }

    func testABadRangeNamesItsLine() {
        let text = "/**\n * sys_x - X\n * param: n\n *   range: 1 to 5\n */\n"
        XCTAssertEqual(failure(text)?.line, 4)
    }

    func testAFieldBeforeAnyEntry() {
        XCTAssertEqual(failure("/**\n * sys_x - X\n * desc: stray\n * return:\n */\n")?.line, 3)
    }

    func testNothingFound() {
        XCTAssertEqual(failure("int main(void) { return 0; }\n")?.line, 0)
        XCTAssertNotNil(failure(""))
    }

    func testBrokenJSONNamesItsLine() {
        XCTAssertEqual(failure("{\n\"api_details\": {\n\"name\": }\n}", file: "x.json")?.line, 3)
        XCTAssertNotNil(failure("{\"apis\": [{\"name\": \"sys_x\", \"api_type\": \"syscall\"}]}", file: "x.json"))
        XCTAssertNotNil(failure(String(repeating: "[", count: 100), file: "x.json"))
    }

    func testAMailWithItsLineBreaksLostIsNamed() {
        let flat = "From nobody " + String(repeating: "+ * error: EINVAL, x ", count: 200)
        XCTAssertEqual(failure(flat, file: "flat.eml")?.line, 1)
    }

    func testGarbageNeverCrashes() {
        for text in ["/**", "/**\n*/", "/**\n * - \n * param:\n */", "\u{0}\u{1}/**\n * a - b\n * return:\n *",
                     "=\n=4\n=ZZ", "/** x - y\n * error: , \n */"] {
            _ = try? KAPIParser.parse(text, file: "g")
            _ = try? KAPIParser.parse("Content-Transfer-Encoding: quoted-printable\n\n" + text, file: "g")
        }
    }
}
