# Builds the Xentracker agent MSI on Windows. Not run in this repository's CI (Linux): see packaging/README.md.
# Needs: JDK 17 (jlink, jpackage) on PATH, WiX Toolset 3.11 (heat, candle, light) on PATH, and the Maven build
# (mvn -B -DskipTests install) done on this machine.
#   powershell -ExecutionPolicy Bypass -File packaging\windows\build.ps1 [-Version 0.1.0]
param([string]$Version = "0.1.0")
$ErrorActionPreference = "Stop"
$Root = Resolve-Path "$PSScriptRoot\..\.."
$Out = "$Root\packaging\target\windows"
Remove-Item -Recurse -Force $Out -ErrorAction SilentlyContinue
New-Item -ItemType Directory -Force "$Out\mods", "$Out\linked" | Out-Null

# As on Linux (packaging/build): explicit modules are linked into the runtime, JNA (automatic) and the agent stay
# jars on the module path.
$Linked = @()
foreach ($jar in Get-ChildItem "$Root\modules\collector\target\modules\*.jar") {
    if ($jar.Name -like "jna-*") { Copy-Item $jar "$Out\mods\" } else { $Linked += $jar.FullName }
}
Copy-Item "$Root\modules\collector\target\xentracker-collector-*-SNAPSHOT.jar", "$Root\modules\collector\target\xentracker-collector-*.jar" "$Out\mods\" -ErrorAction SilentlyContinue
$Jdk = (java "$Root\packaging\tools\Modules.java" jdk-modules @Linked (Get-ChildItem "$Out\mods\*.jar").FullName) + ",jdk.crypto.ec"
$Names = (java "$Root\packaging\tools\Modules.java" list @Linked | ForEach-Object { ($_ -split "`t")[0] }) -join ","
jlink --module-path ($Linked -join ";") --add-modules "$Jdk,$Names" --ignore-signing-information `
    --strip-debug --no-header-files --no-man-pages --compress=2 `
    --exclude-resources='regex:/org\.xerial\.sqlitejdbc/org/sqlite/native/(?!Windows/x86_64/).*' `
    --generate-cds-archive --output "$Out\runtime"

$Flags = Get-Content "$Root\modules\collector\agent-jvm-flags" | ForEach-Object { ($_ -replace "#.*", "").Trim() } | Where-Object { $_ }
$JavaOptions = @(); foreach ($flag in $Flags) { $JavaOptions += "--java-options"; $JavaOptions += $flag }
jpackage --type app-image --dest "$Out\image" --name xentracker-agent --app-version $Version --vendor Xentracker `
    --runtime-image "$Out\runtime" --module-path "$Out\mods" `
    --module com.xentracker.collector/com.xentracker.collector.cli.AgentMain @JavaOptions `
    --add-launcher "xentracker-agent-cli=$PSScriptRoot\cli.properties"

# the app-image's files as a component group, then the product around it
heat dir "$Out\image\xentracker-agent" -nologo -gg -sfrag -srd -sreg -cg AppFiles -dr INSTALLDIR -var var.AppDir `
    -out "$Out\AppFiles.wxs"
candle -nologo -arch x64 -dVersion=$Version -dAppDir="$Out\image\xentracker-agent" -out "$Out\" `
    "$PSScriptRoot\xentracker-agent.wxs" "$Out\AppFiles.wxs"
light -nologo -out "$Out\xentracker-agent-$Version.msi" "$Out\xentracker-agent.wixobj" "$Out\AppFiles.wixobj"

# the browser's policies go beside the MSI (registry files; extension/policy/README.md explains them)
Copy-Item "$Root\extension\policy\windows\chrome.reg", "$Root\extension\policy\windows\edge.reg" "$Out\"
Write-Host "built $Out\xentracker-agent-$Version.msi"
