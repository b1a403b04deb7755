#!/usr/bin/env bash
# Regenerates Sources/Protocol/Messages/steward.pb.swift from Sources/Protocol/steward.proto.
# Needs protoc (apt-get install protobuf-compiler) and protoc-gen-swift built from the swift-protobuf
# version the package resolves (swift build --product protoc-gen-swift in a swift-protobuf checkout).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
plugin=${PROTOC_GEN_SWIFT:-$(command -v protoc-gen-swift || true)}
if [ -z "$plugin" ]; then
  echo "protoc-gen-swift not found: set PROTOC_GEN_SWIFT=/path/to/protoc-gen-swift" >&2
  exit 1
fi
command -v protoc >/dev/null || { echo "protoc not found: apt-get install protobuf-compiler" >&2; exit 1; }
protoc --plugin=protoc-gen-swift="$plugin" \
  --swift_opt=Visibility=Public \
  --swift_out="$root/Sources/Protocol/Messages" \
  --proto_path="$root/Sources/Protocol" \
  "$root/Sources/Protocol/steward.proto"
echo "generated $root/Sources/Protocol/Messages/steward.pb.swift"
