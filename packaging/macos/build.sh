#!/usr/bin/env bash
# Builds the Xentracker agent's macOS installer package (.pkg). Not run in this repository's CI (Linux): see
# packaging/README.md. Needs: macOS with JDK 17 (jlink, jpackage) and Xcode's command line tools (pkgbuild), and
# the Maven build (mvn -B -DskipTests install) done on this Mac. Sign with --mac-sign options for distribution.
#   packaging/macos/build.sh [version]
set -euo pipefail
cd "$(dirname "$0")/../.."
ROOT=$(pwd)
VERSION=${1:-0.1.0}
OUT=$ROOT/packaging/target/macos
rm -rf "$OUT"
mkdir -p "$OUT/mods" "$OUT/resources"

# As on Linux (packaging/build): explicit modules are linked into the runtime, JNA and the agent stay jars.
linked=()
for jar in "$ROOT"/modules/collector/target/modules/*.jar; do
  case "$(basename "$jar")" in jna-*) cp "$jar" "$OUT/mods/" ;; *) linked+=("$jar") ;; esac
done
cp "$ROOT"/modules/collector/target/xentracker-collector-*.jar "$OUT/mods/"
jdk=$(java packaging/tools/Modules.java jdk-modules "${linked[@]}" "$OUT"/mods/*.jar),jdk.crypto.ec
names=$(java packaging/tools/Modules.java list "${linked[@]}" | cut -f1 | paste -sd, -)
arch=$( [ "$(uname -m)" = arm64 ] && echo aarch64 || echo x86_64)
jlink --module-path "$(IFS=:; echo "${linked[*]}")" --add-modules "$jdk,$names" --ignore-signing-information \
  --strip-debug --no-header-files --no-man-pages --compress=2 \
  --exclude-resources="regex:/org\\.xerial\\.sqlitejdbc/org/sqlite/native/(?!Mac/$arch/).*" \
  --generate-cds-archive --output "$OUT/runtime"

options=()
while IFS= read -r flag; do options+=(--java-options "$flag"); done \
  < <(sed -e 's/#.*//' -e 's/[[:space:]]*$//' -e '/^[[:space:]]*$/d' "$ROOT/modules/collector/agent-jvm-flags")
# jpackage takes "postinstall" from the resource directory: it writes the system configuration and loads the
# LaunchAgent in the logged-in user's session
sed -e '/# @JAMF_CONFIGURE@/{r packaging/macos/scripts/jamf-configure.sh' -e 'd;}' \
    -e '/# @LAUNCH_AGENT@/{r packaging/macos/com.xentracker.agent.plist' -e 'd;}' \
    packaging/macos/scripts/postinstall >"$OUT/resources/postinstall"
chmod 755 "$OUT/resources/postinstall"
jpackage --type pkg --dest "$OUT" --name "Xentracker Agent" --app-version "$VERSION" --vendor Xentracker \
  --mac-package-identifier com.xentracker.agent --mac-package-name "Xentracker Agent" \
  --runtime-image "$OUT/runtime" --module-path "$OUT/mods" \
  --module com.xentracker.collector/com.xentracker.collector.cli.AgentMain "${options[@]}" \
  --resource-dir "$OUT/resources"
# beside the package: the LaunchAgent (postinstall installs the same), the Jamf
# configuration profile and script, and the browsers' configuration profiles (extension/policy/README.md)
cp packaging/macos/com.xentracker.agent.plist packaging/macos/xentracker-agent.mobileconfig \
  packaging/macos/scripts/jamf-configure.sh "$OUT/"
cp extension/policy/macos/chrome.mobileconfig extension/policy/macos/edge.mobileconfig "$OUT/"
echo "built $OUT/Xentracker Agent-$VERSION.pkg"
