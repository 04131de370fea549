#!/usr/bin/env bash
# Builds the portable Linux binary for bastion hosts and its release artefacts:
#
#   bash scripts/dist.sh [--allow-dirty] [--target TRIPLE] [--no-cargo-install]
#
#   dist/cognito-tui                                 needs glibc 2.17 or newer
#   dist/cognito-tui-VERSION-ARCH-linux-gnu.tar.gz   binary, README, licences, IAM policies,
#                                                    example config, completions, man page
#   dist/cognito-tui_VERSION_DEBARCH.deb             apt install ./…
#   dist/cognito-tui-VERSION-1.ARCH.rpm              dnf install ./…
#   dist/SHA256SUMS                                  for all four
#
# TRIPLE is x86_64-unknown-linux-gnu (the default) or aarch64-unknown-linux-gnu, built on a
# machine of that architecture (the checks run the binary; the release workflow builds
# arm64 on an arm64 runner). It links with zig (cargo-zigbuild and ziglang from PyPI, in a
# venv of its own under the target directory) against glibc 2.17's symbol versions, then
# checks what it promises: no GLIBC_ symbol above 2.17, only the C library family and
# libgcc_s needed, no OpenSSL, at most 15 MB, and that the binary runs (`get --demo`).
# scripts/package.sh then writes the tarball, the .deb and the .rpm from that binary.
# Last, what `cargo install` users get: `cargo package --locked` (builds the packaged crate)
# and `cargo install --locked` from it, whose binary must run (--no-cargo-install skips
# this second build).
#
# A tree with uncommitted changes is refused (a package names its commit) unless
# --allow-dirty, and the binary's --version then says `+dirty`.
#
# Environment: CARGO_TARGET_DIR is honoured; DIST_PROFILE=dev builds the debug profile
# (fast, for working on this script; the size limit is then not checked and cargo install
# builds with --debug); DIST_DIR (default dist/) is where the artefacts go.
set -euo pipefail
shopt -s inherit_errexit 2>/dev/null || true
cd "$(dirname "$0")/.."
root=$(pwd)

say() { printf '== %s\n' "$*" >&2; }
die() { printf 'dist.sh: %s\n' "$*" >&2; exit 1; }

allow_dirty=false
cargo_install=true
triple=x86_64-unknown-linux-gnu
while [ $# -gt 0 ]; do
  case "$1" in
    --allow-dirty) allow_dirty=true ;;
    --no-cargo-install) cargo_install=false ;;
    --target) triple=${2:?--target needs a triple}; shift ;;
    --target=*) triple=${1#--target=} ;;
    *) die "unknown argument $1 (usage: scripts/dist.sh [--allow-dirty] [--target TRIPLE] [--no-cargo-install])" ;;
  esac
  shift
done
glibc=2.17
profile=${DIST_PROFILE:-release}
target_dir=${CARGO_TARGET_DIR:-$root/target}
dist=${DIST_DIR:-$root/dist}
max_bytes=$((15 * 1024 * 1024))
case "$profile" in
  dev) profile_dir=debug ;;
  *) profile_dir=$profile ;;
esac
arch=${triple%%-*}
case "$triple" in
  x86_64-unknown-linux-gnu) loader='ld-linux-x86-64\.so' ;;
  aarch64-unknown-linux-gnu) loader='ld-linux-aarch64\.so' ;;
  *) die "builds x86_64-unknown-linux-gnu or aarch64-unknown-linux-gnu, not $triple" ;;
esac
[ "$(uname -m)" = "$arch" ] ||
  die "builds $triple on an $arch machine only (this one is $(uname -m)): the checks run the binary"
for tool in cargo python3 readelf strings tar sha256sum git dpkg-deb rpmbuild; do
  command -v "$tool" >/dev/null ||
    die "needs $tool on PATH (readelf and strings: binutils; rpmbuild: apt-get install rpm)"
done

# Refused before anything is built, rather than after minutes of compiling.
if [ -n "$(git status --porcelain)" ]; then
  $allow_dirty || die "the tree has uncommitted changes (a package must name a real commit; --allow-dirty to build anyway):
$(git status --short)"
  # build.rs marks the commit in --version (`+dirty`).
  export COGNITO_TUI_DIRTY=1
fi
dirty_flag=()
$allow_dirty && dirty_flag=(--allow-dirty)

# The zig toolchain, pinned, in a venv of its own: nothing is installed for the user.
venv=$target_dir/dist-venv
if ! cmp -s "$root/scripts/dist-requirements.txt" "$venv/installed.txt"; then
  say "installing cargo-zigbuild and ziglang into $venv"
  python3 -m venv "$venv"
  "$venv/bin/pip" install --quiet --disable-pip-version-check -r "$root/scripts/dist-requirements.txt"
  cp "$root/scripts/dist-requirements.txt" "$venv/installed.txt"
fi
export PATH="$venv/bin:$PATH"

say "cargo zigbuild --profile $profile --target $triple.$glibc"
# Only the binary: the tests and benchmarks are not shipped.
cargo zigbuild --locked --profile "$profile" --target "$triple.$glibc" --bin cognito-tui
bin=$target_dir/$triple/$profile_dir/cognito-tui
[ -x "$bin" ] || die "no binary at $bin"

say "checking $bin"
floor=$(readelf -W --dyn-syms "$bin" | grep -o 'GLIBC_[0-9][0-9.]*' | sed 's/GLIBC_//' | sort -uV | tail -1)
[ -n "$floor" ] || die "no GLIBC_ symbol versions found by readelf --dyn-syms"
if [ "$(printf '%s\n%s\n' "$floor" "$glibc" | sort -V | tail -1)" != "$glibc" ]; then
  die "needs GLIBC_$floor, above the $glibc floor:
$(readelf -W --dyn-syms "$bin" | grep -E "GLIBC_$floor\b")"
fi
needed=$(readelf -d "$bin" | sed -n 's/.*(NEEDED).*\[\(.*\)\]/\1/p')
foreign=$(printf '%s\n' "$needed" | grep -vE "^($loader|lib(c|m|dl|pthread|rt|util|gcc_s)\.so)" || true)
[ -z "$foreign" ] || die "links more than the C library family: $foreign"
if strings "$bin" 2>/dev/null | grep -q 'OpenSSL [0-9]'; then die "OpenSSL is linked in"; fi
bytes=$(stat -c %s "$bin")
if [ "$profile" = release ] && [ "$bytes" -gt "$max_bytes" ]; then
  die "$bytes bytes, over the 15 MB limit"
fi
"$bin" --demo get alice -o json | grep -q '"Username": "alice"' || die "get --demo did not find alice"

artefacts=$(DIST_DIR=$dist bash scripts/package.sh "${dirty_flag[@]}" --target "$triple" "$bin")
cp "$bin" "$dist/cognito-tui"
(cd "$dist" && sha256sum cognito-tui >>SHA256SUMS)

if $cargo_install; then
  # What crates.io would get (no tests or benches in it), then `cargo install --locked` from
  # exactly those files: the build `cargo package`'s verification would make, in release.
  # A target directory of its own: the host linker's build can't share zig's.
  say "cargo package --locked, then cargo install --locked from the packaged crate"
  install_target=$target_dir/cargo-install
  CARGO_TARGET_DIR=$install_target cargo package --locked --no-verify "${dirty_flag[@]}"
  version=$(sed -n '/^\[package\]/,/^\[/{s/^version = "\(.*\)"$/\1/p}' Cargo.toml | head -1)
  unpacked=$install_target/unpacked
  rm -rf "$unpacked" && mkdir -p "$unpacked"
  tar -xzf "$install_target/package/cognito-tui-$version.crate" -C "$unpacked"
  debug=()
  [ "$profile" = dev ] && debug=(--debug)
  CARGO_TARGET_DIR=$install_target cargo install --locked "${debug[@]}" --force \
    --path "$unpacked/cognito-tui-$version" --root "$install_target/root"
  installed=$install_target/root/bin/cognito-tui
  "$installed" --demo get alice -o json | grep -q '"Username": "alice"' ||
    die "the cargo-installed binary did not find alice"
  say "cargo install: $("$installed" --version)"
fi

printf '%s\n' "$("$bin" --version)" "glibc floor: GLIBC_$floor" "binary: $bytes bytes" >&2
printf '%s\n' "$artefacts" >&2
dpkg-deb --contents "$(grep '\.deb$' <<<"$artefacts")" >&2
cat "$dist/SHA256SUMS" >&2
