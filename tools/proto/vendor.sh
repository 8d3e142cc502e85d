#!/usr/bin/env bash
# Copies the third-party schemas Cinemesh builds against into proto/vendor/ from pinned npm
# packages (see package.json), so `buf` never needs the Buf Schema Registry.
#   google/api/*, google/rpc/error_details <- google-proto-files
#   grpc/health/v1          <- grpc-health-check
#   grpc/reflection/v1      <- @grpc/reflection
#   buf/validate            <- printed from @bufbuild/protovalidate's compiled descriptor
set -euo pipefail
cd "$(dirname "$0")/../.."
v=proto/vendor
rm -rf "$v" && mkdir -p "$v/google/api" "$v/google/rpc" "$v/grpc/health/v1" "$v/grpc/reflection/v1" "$v/buf/validate"
for f in annotations http httpbody field_behavior; do
  cp "node_modules/google-proto-files/google/api/$f.proto" "$v/google/api/"
done
cp node_modules/google-proto-files/google/rpc/error_details.proto "$v/google/rpc/"
cp node_modules/grpc-health-check/proto/health/v1/health.proto "$v/grpc/health/v1/"
cp node_modules/@grpc/reflection/build/proto/grpc/reflection/v1/reflection.proto "$v/grpc/reflection/v1/"
# Print to a temp file first so a failing printer never leaves a truncated schema behind.
node tools/proto/print-validate-proto.mjs > "$v/buf/validate/validate.proto.tmp"
mv "$v/buf/validate/validate.proto.tmp" "$v/buf/validate/validate.proto"
