#!/usr/bin/env bash
# dlib detection and landmark speed on ONE core: a real 1080p frame and its 720p scaling.
# Usage: tests/Pipeline.FaceTracking.Tests/bench/run.sh [core]   (default core 0)
set -euo pipefail
cd "$(dirname "$0")/.."
dotnet build -c Release --nologo -v q . >/dev/null
exe=bin/Release/net10.0/Pipeline.FaceTracking.Tests
taskset -c "${1:-0}" "$exe" -method "*Detection_and_landmarks_at_720p_and_1080p" -explicit only -showLiveOutput
