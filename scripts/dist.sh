#!/usr/bin/env bash
# Builds the portable x86_64 Linux binary for bastion hosts and its release artefacts:
#   dist/cognito-tui                                   needs glibc 2.17 or newer
#   dist/cognito-tui-VERSION-x86_64-linux-gnu.tar.gz   binary, README, licences, IAM
#                                                      policies, example config,
#                                                      completions, man page
#   dist/SHA256SUMS                                    for both
# It links with zig (cargo-zigbuild and ziglang from PyPI, in a venv of its own under the
# target directory) against glibc 2.17's symbol versions, then checks what it promises: no
# GLIBC_ symbol above 2.17, only the C library family in `ldd`, no OpenSSL, at most 15 MB,
# and that the binary runs (`get --demo`).
#
# Environment: CARGO_TARGET_DIR is honoured; DIST_PROFILE=dev builds the debug profile
# (fast, for CI and for working on this script; the size limit is then not checked);
# DIST_DIR (default dist/) is where the artefacts go.
set -euo pipefail
shopt -s inherit_errexit 2>/dev/null || true
cd "$(dirname "$0")/.."
root=$(pwd)

triple=x86_64-unknown-linux-gnu
glibc=2.17
profile=${DIST_PROFILE:-release}
target_dir=${CARGO_TARGET_DIR:-$root/target}
dist=${DIST_DIR:-$root/dist}
max_bytes=$((15 * 1024 * 1024))
case "$profile" in
  dev) profile_dir=debug ;;
  *) profile_dir=$profile ;;
esac

say() { printf '== %s\n' "$*" >&2; }
die() { printf 'dist.sh: %s\n' "$*" >&2; exit 1; }

[ "$(uname -m)" = x86_64 ] || die "builds for x86_64 only (this machine is $(uname -m))"
for tool in cargo python3 objdump strings ldd tar sha256sum git; do
  command -v "$tool" >/dev/null || die "needs $tool on PATH (objdump and strings: binutils; ldd: libc-bin)"
done

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
floor=$(objdump -T "$bin" | grep -o 'GLIBC_[0-9][0-9.]*' | sed 's/GLIBC_//' | sort -uV | tail -1)
[ -n "$floor" ] || die "no GLIBC_ symbol versions found by objdump -T"
if [ "$(printf '%s\n%s\n' "$floor" "$glibc" | sort -V | tail -1)" != "$glibc" ]; then
  die "needs GLIBC_$floor, above the $glibc floor:
$(objdump -T "$bin" | grep -E "GLIBC_$floor\b")"
fi
libs=$(ldd "$bin" | awk '{ print $1 }')
foreign=$(printf '%s\n' "$libs" | grep -vE '^(linux-vdso\.so|/lib64/ld-linux-x86-64\.so|lib(c|m|dl|pthread|rt|util|gcc_s)\.so)' || true)
[ -z "$foreign" ] || die "links more than the C library family: $foreign"
if strings "$bin" 2>/dev/null | grep -q 'OpenSSL [0-9]'; then die "OpenSSL is linked in"; fi
bytes=$(stat -c %s "$bin")
if [ "$profile" = release ] && [ "$bytes" -gt "$max_bytes" ]; then
  die "$bytes bytes, over the 15 MB limit"
fi
"$bin" --demo get alice -o json | grep -q '"Username": "alice"' || die "get --demo did not find alice"
version=$("$bin" --version)

say "artefacts in $dist"
pkg_version=$(sed -n 's/^version = "\(.*\)"/\1/p' Cargo.toml | head -1)
name=cognito-tui-$pkg_version-x86_64-linux-gnu
stage=$target_dir/dist-stage/$name
rm -rf "$stage" && mkdir -p "$stage/completions" "$stage/assets" "$dist"
cp "$bin" "$stage/cognito-tui"
cp README.md LICENSE-MIT LICENSE-APACHE config.example.toml "$stage/"
# Under assets/, where README points.
cp assets/iam-policy.json assets/iam-policy-write.json "$stage/assets/"
"$bin" completions bash >"$stage/completions/cognito-tui.bash"
"$bin" completions zsh >"$stage/completions/_cognito-tui"
"$bin" completions fish >"$stage/completions/cognito-tui.fish"
"$bin" man >"$stage/cognito-tui.1"
bash -n "$stage/completions/cognito-tui.bash" || die "the bash completion script does not parse"
cp "$bin" "$dist/cognito-tui"
# Reproducible archive: sorted names, fixed owner and time (the commit's).
mtime=$(git log -1 --format=%ct 2>/dev/null || echo 0)
tar --sort=name --owner=0 --group=0 --numeric-owner --mtime="@$mtime" \
  -C "$(dirname "$stage")" -czf "$dist/$name.tar.gz" "$name"
(cd "$dist" && sha256sum cognito-tui "$name.tar.gz" >SHA256SUMS)

printf '%s\n' "$version" "glibc floor: GLIBC_$floor" "binary: $bytes bytes" >&2
printf 'tarball: %s\n' "$dist/$name.tar.gz" >&2
tar -tzf "$dist/$name.tar.gz" >&2
cat "$dist/SHA256SUMS" >&2
