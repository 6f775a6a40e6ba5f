#!/usr/bin/env bash
# Feature-extraction speed on ONE core: 60 s of real speech, Release build, pinned with taskset.
# Usage: tests/Pipeline.AudioFeatures.Tests/bench/run.sh [core]   (default core 0)
set -euo pipefail
cd "$(dirname "$0")/.."
dotnet build -c Release --nologo -v q . >/dev/null
exe=bin/Release/net10.0/Pipeline.AudioFeatures.Tests
DOTNET_TieredPGO=1 taskset -c "${1:-0}" "$exe" -method "*Sixty_seconds_of_speech_on_one_core" -explicit only -showLiveOutput
