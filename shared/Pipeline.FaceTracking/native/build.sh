#!/usr/bin/env bash
# Compiles the dlib shim (dlib_shim.cpp) into OUTPUT_DIR/libpipeline_dlib.so. Run by the csproj's
# BuildDlibShim target; runnable by hand too: native/build.sh /tmp/out
#
# -march: x86-64-v3 (AVX2, FMA, BMI2...) when this CPU has it, because dlib's HOG and the landmark
# trees are compiled here from dlib's headers and vectorise with it; portable x86-64 otherwise.
# Set PIPELINE_NATIVE_MARCH (e.g. x86-64) to build for other machines than this one (images, CI caches).
# Errors are printed as "build.sh: error PDL...: ..." so that MSBuild shows them as build errors.
set -euo pipefail

OUT="${1:?usage: build.sh OUTPUT_DIR}"
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
CXX="${CXX:-g++}"
INSTALL_HINT="install it with: apt-get install -y g++ libdlib-dev libdlib-data (or run infra/install-deps.sh as root)"

fail() { echo "build.sh: error $1: $2" >&2; exit 1; }

command -v "$CXX" >/dev/null 2>&1 || fail PDL001 "C++ compiler '$CXX' not found; $INSTALL_HINT"

DLIB_CFLAGS=$(pkg-config --cflags dlib-1 2>/dev/null || true)
# Not `pkg-config --libs dlib-1`: Debian's lists libblas.so, liblapack.so and libjpeg.so, which only
# the -dev packages of those provide (libdlib-dev does not pull them in). What the shim itself calls
# is dlib plus one LAPACK routine (dgesvd_, from dlib's headers); the runtime sonames are always there,
# as libdlib19.1 depends on them. --as-needed drops whatever turns out unused.
DLIB_LIBS="-ldlib -l:liblapack.so.3 -l:libblas.so.3 -lpthread"
# shellcheck disable=SC2086
echo '#include <dlib/image_processing/frontal_face_detector.h>' | "$CXX" -std=c++17 $DLIB_CFLAGS -fsyntax-only -x c++ - 2>/dev/null \
  || fail PDL002 "dlib's headers were not found (libdlib-dev is missing); $INSTALL_HINT"

march_flag() {
  if [ -n "${PIPELINE_NATIVE_MARCH:-}" ]; then echo "-march=$PIPELINE_NATIVE_MARCH"; return; fi
  [ "$(uname -m)" = x86_64 ] || return 0
  local flags
  flags=" $(grep -m1 '^flags' /proc/cpuinfo 2>/dev/null | cut -d: -f2) "
  for f in avx avx2 bmi1 bmi2 f16c fma abm movbe xsave; do
    case "$flags" in *" $f "*) ;; *) echo "-march=x86-64"; return ;; esac
  done
  echo "-march=x86-64-v3"
}
MARCH=$(march_flag)

mkdir -p "$OUT"
TMP="$OUT/.libpipeline_dlib.so.$$"
trap 'rm -f "$TMP"' EXIT
# shellcheck disable=SC2086
"$CXX" -std=c++17 -O3 $MARCH -DNDEBUG -shared -fPIC -fvisibility=hidden -fvisibility-inlines-hidden \
  -Wall -Wextra $DLIB_CFLAGS "$HERE/dlib_shim.cpp" -o "$TMP" -Wl,--no-undefined -Wl,--as-needed -Wl,--version-script="$HERE/exports.map" $DLIB_LIBS \
  || fail PDL003 "compiling native/dlib_shim.cpp failed (see the compiler output above); if dlib is missing, $INSTALL_HINT"
mv -f "$TMP" "$OUT/libpipeline_dlib.so"
echo "build.sh: built $OUT/libpipeline_dlib.so ($MARCH)"
