import { configureTextEncoding, getTextEncoding } from "@bufbuild/protobuf/wire";

/**
 * protobuf-es turns every string field into UTF-8 with the WHATWG TextEncoder. In Node 20
 * `TextEncoder.encode` costs about 0.7 µs even for a word (a call into C++ and a fresh
 * ArrayBuffer each time), six times `Buffer.from`, and a message with a few strings pays it per
 * field. Both produce the same bytes (lone surrogates become U+FFFD either way), and the writer
 * copies the result, so a pooled Buffer is safe. Decoding stays as it is: TextDecoder is fast.
 *
 * Imported for its effect by the gRPC client and server paths; configuring twice is harmless.
 */
const standard = getTextEncoding();
configureTextEncoding({
  encodeUtf8: (text) => Buffer.from(text, "utf8"),
  decodeUtf8: (bytes, strict) => standard.decodeUtf8(bytes, strict),
  checkUtf8: (text) => standard.checkUtf8(text),
});
