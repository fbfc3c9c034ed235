// Every layer above the kernel calls writes and reads JSON; the value type
// lives in its own target so that KAPISpec, which stands apart from the
// kernel layer, reads tools/kapi's JSON with the same reader.
@_exported import JSONValue
