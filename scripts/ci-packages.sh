#!/usr/bin/env bash
# CI's packaging step (.ci/run calls it after the tests): packages the portable debug binary
# the tests ran, installs the .deb with apt as an operator would, uses it, removes it and
# checks nothing is left; reads the .rpm back with rpm; lints the GitHub workflows.
#
#   scripts/ci-packages.sh BINARY
#
# Needs root (or sudo), dpkg-deb, apt-get, rpm/rpmbuild, man-db, bash-completion and
# actionlint on PATH; .ci/run installs the last four in the background.
set -euo pipefail
shopt -s inherit_errexit 2>/dev/null || true
cd "$(dirname "$0")/.."
root=$(pwd)

die() { printf 'ci-packages: %s\n' "$*" >&2; exit 1; }
say() { printf -- '-- %s (%ss)\n' "$*" "$SECONDS"; }

[ $# -eq 1 ] || die "usage: scripts/ci-packages.sh BINARY"
for tool in dpkg-deb apt-get rpm rpmbuild man actionlint; do
  command -v "$tool" >/dev/null || die "needs $tool on PATH (.ci/run installs it)"
done
[ -f /usr/share/bash-completion/bash_completion ] || die "needs bash-completion (.ci/run installs it)"
bin=$1
sudo=""
[ "$(id -u)" = 0 ] || sudo=sudo
dist=${CI_PACKAGES_DIR:-$root/.ci/work/packages}
rm -rf "$dist"

# CI's packages are installed here and thrown away, never published: a working tree with
# local changes may make them (tests/it/packaging.rs checks that a dirty tree is refused).
DIST_DIR=$dist bash scripts/package.sh --allow-dirty "$bin" >/dev/null
deb=$(echo "$dist"/cognito-tui_*_amd64.deb)
rpm=$(echo "$dist"/cognito-tui-*-1.x86_64.rpm)
[ -f "$deb" ] && [ -f "$rpm" ] || die "package.sh wrote no .deb or .rpm: $(ls "$dist")"
(cd "$dist" && sha256sum --quiet -c SHA256SUMS) || die "SHA256SUMS does not match"
grep -q "$(basename "$deb")" "$dist/SHA256SUMS" && grep -q "$(basename "$rpm")" "$dist/SHA256SUMS" ||
  die "SHA256SUMS does not list both packages"

# FORMAT's destinations from the layout file, sorted.
layout_files() {
  sed -e 's/#.*//' "$root/scripts/package-layout" |
    awk -v f="$1" 'NF >= 3 && (NF == 3 || index("," $4 ",", "," f ",")) { print $2 }' | sort
}

say "the .rpm holds the layout's files and requires glibc >= 2.17"
# rpm -qpl also lists the directory the package owns (/usr/share/doc/cognito-tui).
rpm_expected() { { layout_files rpm; layout_files rpm | xargs -n1 dirname | grep '/cognito-tui$'; } | sort -u; }
diff <(rpm_expected) <(rpm -qpl "$rpm" | sort) || die "the .rpm's files differ from scripts/package-layout (< layout, > rpm)"
rpm -qpR "$rpm" | grep -qx 'glibc >= 2.17' || die "the .rpm does not require glibc >= 2.17: $(rpm -qpR "$rpm")"
# No RPM distribution here: rpm itself installs the package into a scratch root (its own
# database, no dependency check, since glibc there is Debian's), the binary it placed runs,
# and `rpm -e` takes its files and its doc directory away again.
say "rpm --root: the .rpm installs, runs and erases"
rpm_root=$(mktemp -d)
rpm --root "$rpm_root" --initdb
rpm --root "$rpm_root" -i --nodeps --noscripts "$rpm" 2>/dev/null
diff <(layout_files rpm) <(cd "$rpm_root" && find usr -type f | sed 's|^|/|' | sort) ||
  die "rpm installed other files than scripts/package-layout lists (< layout, > installed)"
[ "$("$rpm_root/usr/bin/cognito-tui" --version)" = "$("$bin" --version)" ] ||
  die "the binary the .rpm installed does not say what $bin says"
rpm --root "$rpm_root" -e cognito-tui 2>/dev/null
left=$(cd "$rpm_root" && find usr -path '*cognito-tui*')
[ -z "$left" ] || die "left after rpm -e: $left"
rm -rf "$rpm_root"

say "the .deb holds the layout's files and depends on libc6 (>= 2.17)"
diff <(layout_files deb) <(dpkg-deb --fsys-tarfile "$deb" | tar -t | sed -n 's|^\./|/|; /[^/]$/p' | sort) ||
  die "the .deb's files differ from scripts/package-layout (< layout, > deb)"
dpkg-deb -f "$deb" Depends | grep -q '^libc6 (>= 2.17)' || die "the .deb does not depend on libc6 (>= 2.17)"

say "apt-get install ./$(basename "$deb")"
# A package left by an earlier, interrupted run would hide a broken install.
if dpkg -s cognito-tui >/dev/null 2>&1; then $sudo apt-get remove -y -qq cognito-tui >/dev/null; fi
trap '$sudo apt-get remove -y -qq cognito-tui >/dev/null 2>&1 || true' EXIT
$sudo apt-get install -y -qq "$deb" >/dev/null
installed=$(command -v cognito-tui) || die "cognito-tui is not on PATH after installing"
[ "$installed" = /usr/bin/cognito-tui ] || die "cognito-tui resolves to $installed, not /usr/bin/cognito-tui"
version=$(cognito-tui --version)
[ "$version" = "$("$bin" --version)" ] || die "the installed binary says '$version'"
echo "$version"
cognito-tui get --demo alice -o json | grep -q '"Username": "alice"' || die "get --demo alice failed"
page=$(man -w cognito-tui) || die "man -w cognito-tui found no page"
[ "$page" = /usr/share/man/man1/cognito-tui.1.gz ] || die "man -w found $page"
MANPAGER=cat man cognito-tui 2>/dev/null | grep -q -- '--pool' || die "man cognito-tui renders no --pool"

# bash-completion's loader finds the script in its system directory on the first Tab, as an
# interactive shell does; then `cognito-tui g<Tab>` is completed by calling the registered
# function as readline would.
completed=$(bash --norc --noprofile -c '
  source /usr/share/bash-completion/bash_completion
  _completion_loader cognito-tui
  fn=$(complete -p cognito-tui | sed -n "s/.* -F \([^ ]*\) .*/\1/p")
  [ -n "$fn" ] || { echo "no completion function registered" >&2; exit 1; }
  COMP_WORDS=(cognito-tui g); COMP_CWORD=1; COMP_LINE="cognito-tui g"; COMP_POINT=13; COMP_TYPE=9
  "$fn" cognito-tui g cognito-tui
  printf "%s\n" "${COMPREPLY[@]}"')
[ "$completed" = get ] || die "bash completes 'cognito-tui g' to '$completed', not 'get'"
say "installed: --version, get --demo alice, man -w ($page), bash completes g<Tab> to get"

# The check after removal looks for names: it must see every installed file now.
diff <(layout_files deb) <(find /usr -path '*cognito-tui*' -type f | sort) ||
  die "find /usr does not list exactly the installed files (< layout, > found)"

say "apt-get remove cognito-tui"
$sudo apt-get remove -y -qq cognito-tui >/dev/null
trap - EXIT
dpkg -s cognito-tui 2>/dev/null | grep -q '^Status: install' && die "cognito-tui is still installed"
left=$(find /usr -path '*cognito-tui*' 2>/dev/null || true)
[ -z "$left" ] || die "left in /usr after apt-get remove: $left"
say "removed: nothing named cognito-tui left in /usr"

say "cargo package --locked --no-verify: the crate cargo install and crates.io get"
# Building it is scripts/dist.sh's job (a release build); here, that it packages and holds
# what the build and README need.
cargo package --locked --no-verify --allow-dirty --quiet 2>/dev/null
version=$(sed -n '/^\[package\]/,/^\[/{s/^version = "\(.*\)"$/\1/p}' Cargo.toml | head -1)
crate=${CARGO_TARGET_DIR:-$root/target}/package/cognito-tui-$version.crate
listing=$(tar -tzf "$crate")
for file in Cargo.toml Cargo.lock build.rs src/main.rs README.md LICENSE-MIT LICENSE-APACHE \
  config.example.toml assets/demo-pool.json assets/iam-policy.json assets/iam-policy-write.json; do
  grep -qx "cognito-tui-$version/$file" <<<"$listing" || die "the crate lacks $file"
done
if grep -q "^cognito-tui-$version/tests/" <<<"$listing"; then die "the crate holds the tests"; fi
echo "$(wc -l <<<"$listing") files, $(stat -c %s "$crate") bytes"

say "actionlint .github/workflows/*.yml"
actionlint .github/workflows/*.yml
say "packages: ok"
