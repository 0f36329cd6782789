# Builds the driver station's Windows installer, on Windows, from a tree built there
# (.\mvnw.cmd package):
#   target\installer\rcdrive-station-<version>.msi  (Start-menu shortcut, per-user or all users)
# The Maven build on Windows picks webrtc-java's windows-x86_64 natives and JavaFX's win jars;
# JInput's natives-all jar is trimmed to its Windows DLLs here.
# Needs a JDK 17+ with jpackage and the WiX Toolset 3.x on the PATH (candle.exe, light.exe):
#   winget install WiXToolset.WiXToolset   (or https://wixtoolset.org, 3.14)
# Usage:  powershell -ExecutionPolicy Bypass -File packaging\station\build-windows.ps1 [-Version 0.1.0]
param(
  [string]$Version = "",
  [string]$Target = ""
)
$ErrorActionPreference = "Stop"
$repo = Resolve-Path "$PSScriptRoot\..\.."
if (-not $Target) { $Target = Join-Path $repo "target" }
$libIn = Join-Path $Target "dist\lib"
$out = Join-Path $Target "installer"
if (-not (Test-Path $libIn)) { throw "build-windows.ps1: $libIn missing: run .\mvnw.cmd package first" }
foreach ($tool in "jlink", "jpackage", "candle", "light") {
  if (-not (Get-Command $tool -ErrorAction SilentlyContinue)) { throw "build-windows.ps1: $tool not on the PATH" }
}
$mainJar = (Get-ChildItem $libIn -Filter "rcdrive-*.jar" | Select-Object -First 1).Name
if (-not $Version) { $Version = ($mainJar -replace '^rcdrive-', '' -replace '\.jar$', '' -replace '-SNAPSHOT$', '') }

$work = Join-Path ([IO.Path]::GetTempPath()) ("rcdrive-" + [Guid]::NewGuid())
$input = Join-Path $work "input"
New-Item -ItemType Directory -Force $input | Out-Null
try {
  Copy-Item "$libIn\*.jar" $input
  # Keep Windows' 64-bit native code only: drop .so/.dylib/.jnilib and 32-bit or ARM DLLs.
  Add-Type -AssemblyName System.IO.Compression.FileSystem
  foreach ($jar in Get-ChildItem $input -Filter *.jar) {
    $zip = [IO.Compression.ZipFile]::Open($jar.FullName, "Update")
    try {
      $foreign = @($zip.Entries | Where-Object {
        $_.FullName -match '\.(so|dylib|jnilib|a)$' -or
        ($_.FullName -match '\.dll$' -and $_.FullName -match '(win32-x86/|aarch64|arm)')
      })
      foreach ($entry in $foreign) { $entry.Delete() }
    } finally { $zip.Dispose() }
  }
  $modules = (Get-Content (Join-Path $PSScriptRoot "modules.txt") -Raw).Trim() # as on Linux and macOS
  & jlink --add-modules $modules --strip-debug --no-header-files --no-man-pages --compress=2 --output (Join-Path $work "runtime")
  if ($LASTEXITCODE -ne 0) { throw "jlink failed" }
  New-Item -ItemType Directory -Force $out | Out-Null
  & jpackage --type msi `
    --name "rcdrive-station" `
    --app-version $Version `
    --vendor "rcdrive" `
    --description "rcdrive driver station: drive a real RC car over the internet" `
    --dest $out `
    --input $input `
    --main-jar $mainJar `
    --main-class dev.rcdrive.cli.Main `
    --runtime-image (Join-Path $work "runtime") `
    --icon (Join-Path $repo "assets\icon.ico") `
    --win-menu --win-menu-group "rcdrive" --win-shortcut --win-dir-chooser `
    --win-per-user-install `
    --win-upgrade-uuid "6c1c7f5e-3a57-4a53-9f0e-2b7d8a5f0c11"
  if ($LASTEXITCODE -ne 0) { throw "jpackage failed" }
  Get-ChildItem $out -Filter *.msi | ForEach-Object { $_.FullName }
} finally {
  Remove-Item -Recurse -Force $work -ErrorAction SilentlyContinue
}
