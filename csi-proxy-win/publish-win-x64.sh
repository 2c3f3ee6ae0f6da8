#!/usr/bin/env bash
# Publishes csi-proxy.exe for Windows x64: self-contained, not trimmed (see the README), into csi-proxy-win/out/win-x64.
# Fails on any warning, trim and AOT analysis included.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")"
dotnet publish CsiProxy.Win.Server -r win-x64 -c Release -o out/win-x64 -p:TreatWarningsAsErrors=true -nologo
ls -l out/win-x64/csi-proxy.exe out/win-x64/microsoft.management.infrastructure.dll
