#!/usr/bin/env bash
# Builds the release app and its Linux packages (.deb and .rpm, by the Tauri bundler), then
# checks each as a landlord's machine would meet it: the files it installs, lintian's
# verdict on the .deb, and the installed binary answering --version. Prints their sizes.
#
#   scripts/package.sh            build, check, install the .deb, run it, remove it again
#   scripts/package.sh --no-install   the same without touching the system's packages
#
# The packages are left in $CARGO_TARGET_DIR/release/bundle/{deb,rpm}/.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh
source scripts/env.sh
install=1
[ "${1:-}" = "--no-install" ] && install=0

step() { printf '\n==> %s\n' "$*"; }
fail() { echo "package check failed: $*" >&2; exit 1; }

version=$(sed -n 's/^version = "\(.*\)"$/\1/p' Cargo.toml | head -1)
expected="Plumbline $version"

step "release build"
[ -f src-ui/dist/index.html ] || scripts/build-ui.sh
cargo build --release --locked -p plumbline

step "bundle .deb and .rpm"
bundle_dir="$CARGO_TARGET_DIR/release/bundle"
rm -rf "$bundle_dir/deb" "$bundle_dir/rpm"
# Debian wants its documentation compressed and a changelog in its own format (one
# entry per version, pointing at the release notes): made here and added to the .deb's
# files on top of tauri.conf.json's. Dated by the commit, so a rebuild is the same.
docs="$bundle_dir/docs"
mkdir -p "$docs"
maintainer=$(sed -n 's/^authors = \["\(.*\)"\]$/\1/p' Cargo.toml)
printf 'plumbline (%s) unstable; urgency=medium\n\n  * Release notes: /usr/share/doc/plumbline/CHANGELOG.md.gz\n\n -- %s  %s\n' \
  "$version" "$maintainer" "$(git log -1 --format=%cD)" | gzip -9n >"$docs/changelog.gz"
gzip -9n <CHANGELOG.md >"$docs/CHANGELOG.md.gz"
gzip -9n <src-tauri/bundle/linux/plumbline.1 >"$docs/plumbline.1.gz"
deb_docs=$(for file in changelog.gz CHANGELOG.md.gz; do
  printf '"/usr/share/doc/plumbline/%s":"%s",' "$file" "$docs/$file"
done; printf '"/usr/share/man/man1/plumbline.1.gz":"%s"' "$docs/plumbline.1.gz")
deb_docs="{\"bundle\":{\"linux\":{\"deb\":{\"files\":{$deb_docs}}}}}"
# `tauri bundle` packages the binary just built; it compiles nothing itself.
(cd src-tauri && cargo tauri bundle --bundles deb,rpm --config "$deb_docs")
deb=$(ls "$bundle_dir"/deb/*.deb)
rpm=$(ls "$bundle_dir"/rpm/*.rpm)

step "repack the .deb with xz"
# The bundler always gzips the .deb's files; xz, dpkg's own default, makes the download
# about 30% smaller (#17: 9.7 -> 6.8 MB) for ten seconds here. Repacked from the
# bundler's own tree, so what it installs is unchanged, and dated by the commit.
repack=$(mktemp -d)
dpkg-deb -R "$deb" "$repack/tree"
SOURCE_DATE_EPOCH=$(git log -1 --format=%ct) \
  dpkg-deb --root-owner-group -Zxz -z9 -Sextreme --build "$repack/tree" "$deb" >/dev/null
rm -rf "$repack"

# What every package must install: the program, its menu entry, its icon at the sizes a
# desktop asks for, and the type that makes a backup open with Plumbline.
required=(
  usr/bin/plumbline
  usr/share/applications/Plumbline.desktop
  usr/share/icons/hicolor/32x32/apps/plumbline.png
  usr/share/icons/hicolor/128x128/apps/plumbline.png
  usr/share/icons/hicolor/256x256@2/apps/plumbline.png
  usr/share/icons/hicolor/512x512/apps/plumbline.png
  usr/share/mime/packages/plumbline.xml
)
deb_only=(usr/share/doc/plumbline/copyright usr/share/doc/plumbline/changelog.gz usr/share/man/man1/plumbline.1.gz)
# check_listing <package> <its listing> <path>...
check_listing() {
  local package=$1 listing=$2 path
  shift 2
  for path in "$@"; do
    grep -qE "(^|[ /.])$path\$" <<<"$listing" || fail "$package does not install /$path"
  done
  echo "$package installs: $*"
}

step "what the .deb installs (dpkg-deb -c)"
deb_listing=$(dpkg-deb -c "$deb")
check_listing "$(basename "$deb")" "$deb_listing" "${required[@]}" "${deb_only[@]}"
dpkg-deb -f "$deb" Package Version Depends

step "what the .rpm installs (rpm -qlp)"
rpm_listing=$(rpm -qlp "$rpm" 2>/dev/null)
check_listing "$(basename "$rpm")" "$rpm_listing" "${required[@]}"
rpm -qp --requires "$rpm" 2>/dev/null | grep -E 'webkit|gtk' || fail "the .rpm does not require WebKitGTK"

step "lintian (fails on errors; warnings are listed)"
lintian --fail-on error --tag-display-limit 0 "$deb"

step "the .rpm unpacks into a fresh root and its binary runs"
rpm_root=$(mktemp -d)
trap 'rm -rf "$rpm_root"' EXIT
rpm --root "$rpm_root" --initdb
rpm --root "$rpm_root" --install --nodeps --nosignature --noscripts "$rpm" 2>/dev/null
[ "$("$rpm_root/usr/bin/plumbline" --version)" = "$expected" ] || fail "the .rpm's binary does not say $expected"
echo "$("$rpm_root/usr/bin/plumbline" --version) (from the .rpm)"

if ((install)); then
  step "install the .deb, run the installed binary, remove it"
  SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO="sudo"
  $SUDO dpkg -i "$deb"
  installed=$(command -v plumbline)
  [ "$installed" = /usr/bin/plumbline ] || fail "plumbline is not on PATH at /usr/bin after dpkg -i"
  answer=$(/usr/bin/plumbline --version)
  $SUDO dpkg -r plumbline >/dev/null
  [ "$answer" = "$expected" ] || fail "the installed binary says '$answer', not '$expected'"
  echo "$answer (installed at $installed, then removed)"
fi

step "sizes"
for file in "$CARGO_TARGET_DIR/release/plumbline" "$deb" "$rpm"; do
  awk -v name="$(basename "$file")" -v bytes="$(stat -c %s "$file")" 'BEGIN { printf "%-40s %6.1f MB\n", name, bytes / 1e6 }'
done
