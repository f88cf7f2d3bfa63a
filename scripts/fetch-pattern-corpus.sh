#!/usr/bin/env bash
# Fetches the real code that `npm run eval:patterns` was calibrated and checked on into .corpus/
# (git-ignored): readable sources from npm packages (`npm pack`) and Debian packages
# (`apt-get download`, for Python, Go and Rust). Needs npm, apt-get and dpkg-deb.
# Usage: bash scripts/fetch-pattern-corpus.sh   then   npm run eval:patterns -- .corpus/calib
set -euo pipefail
cd "$(dirname "$0")/.."
OUT=.corpus
rm -rf "$OUT"
mkdir -p "$OUT/calib" "$OUT/heldout" "$OUT/.dl"
DL=$(cd "$OUT/.dl" && pwd)

# npm package → extracted package dir
unpack_npm() {
  (cd "$DL" && npm pack --silent "$1" >/dev/null)
  local tgz
  tgz=$(ls "$DL"/*.tgz | head -1)
  local dir="$DL/npm-$2"
  mkdir -p "$dir"
  tar -xzf "$tgz" -C "$dir" --strip-components=1
  rm -f "$tgz"
  echo "$dir"
}

# copy a directory's contents, refusing an empty source (never copy from "/")
copy_dir() {
  local from=$1 to=$2
  if [ -z "$from" ] || [ ! -d "$from" ] || [ "$from" = "/" ]; then echo "missing source for $to" >&2; exit 1; fi
  mkdir -p "$to"
  cp -r "$from"/. "$to"/
}

p=$(unpack_npm ky@1.14.0 ky); copy_dir "$p/distribution" "$OUT/calib/ky/source"
p=$(unpack_npm axios@1.13.2 axios); copy_dir "$p/lib" "$OUT/calib/axios/lib"; cp "$p/index.js" "$OUT/calib/axios/"
p=$(unpack_npm express@5.1.0 express); copy_dir "$p/lib" "$OUT/calib/express/lib"; cp "$p/index.js" "$OUT/calib/express/"
p=$(unpack_npm hono@4.10.6 hono); copy_dir "$p/dist" "$OUT/calib/hono/src"; rm -rf "$OUT/calib/hono/src/cjs" "$OUT/calib/hono/src/types"
p=$(unpack_npm node-gyp@11.5.0 node-gyp); copy_dir "$p/gyp/pylib" "$OUT/calib/gyp/pylib"
p=$(unpack_npm fastify@5.6.2 fastify); copy_dir "$p/lib" "$OUT/heldout/fastify/lib"; cp "$p/fastify.js" "$OUT/heldout/fastify/"
p=$(unpack_npm koa@3.1.1 koa); copy_dir "$p/lib" "$OUT/heldout/koa/lib"
p=$(unpack_npm commander@14.0.2 commander); copy_dir "$p/lib" "$OUT/heldout/commander/lib"; cp "$p/index.js" "$OUT/heldout/commander/"
p=$(unpack_npm execa@9.6.0 execa); copy_dir "$p/lib" "$OUT/heldout/execa/lib"; cp "$p/index.js" "$OUT/heldout/execa/"

(cd "$DL" && apt-get download python3-click python3-requests golang-github-spf13-cobra-dev golang-github-gorilla-mux-dev librust-anyhow-dev \
  python3-attr python3-idna golang-github-pkg-errors-dev golang-github-google-uuid-dev librust-semver-dev >/dev/null)
for deb in "$DL"/*.deb; do dpkg-deb -x "$deb" "$DL/deb"; done
D="$DL/deb"
copy_dir "$(find "$D" -type d -path '*dist-packages/click' | head -1)" "$OUT/calib/click"
copy_dir "$(find "$D" -type d -path '*dist-packages/requests' | head -1)" "$OUT/calib/requests"
copy_dir "$(find "$D" -type d -path '*github.com/spf13/cobra' | head -1)" "$OUT/calib/cobra"
copy_dir "$(find "$D" -type d -path '*github.com/gorilla/mux' | head -1)" "$OUT/calib/gomux"
copy_dir "$(find "$D" -type d -path '*cargo/registry/anyhow-*' -prune | head -1)/src" "$OUT/calib/anyhow/src"
copy_dir "$(find "$D" -type d -path '*dist-packages/attr' | head -1)" "$OUT/heldout/attr"
copy_dir "$(find "$D" -type d -path '*dist-packages/idna' | head -1)" "$OUT/heldout/idna"
copy_dir "$(find "$D" -type d -path '*github.com/pkg/errors' | head -1)" "$OUT/heldout/pkgerrors"
copy_dir "$(find "$D" -type d -path '*github.com/google/uuid' | head -1)" "$OUT/heldout/uuid"
copy_dir "$(find "$D" -type d -path '*cargo/registry/semver-*' -prune | head -1)/src" "$OUT/heldout/semver/src"
find "$OUT" -name '*.d.ts' -delete
rm -rf "$DL"
echo "corpus ready: $OUT/calib $OUT/heldout"
