#!/usr/bin/env bash
# Installs the system packages the pipeline and its tests need on Debian 12 (as root). Idempotent.
# The .NET 10 SDK is expected on the machine (the project's build image has it).
set -euo pipefail
export DEBIAN_FRONTEND=noninteractive
APT="apt-get -o DPkg::Lock::Timeout=600 -y -qq --no-install-recommends"
PACKAGES=(ffmpeg)

missing=()
for p in "${PACKAGES[@]}"; do
  dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p")
done

if [ ${#missing[@]} -gt 0 ]; then
  if [ "$(id -u)" != 0 ]; then
    echo "install-deps: run as root, or: sudo apt-get install -y ${missing[*]}" >&2
    exit 1
  fi
  echo "install-deps: installing ${missing[*]}"
  apt-get -o DPkg::Lock::Timeout=600 update -qq
  $APT install "${missing[@]}" >/dev/null
fi

command -v dotnet >/dev/null || { echo "install-deps: the .NET 10 SDK is missing (install dotnet-sdk-10.0)" >&2; exit 1; }
echo "install-deps: ok ($(ffmpeg -version | head -1 | cut -d' ' -f1-3), dotnet $(dotnet --version))"
