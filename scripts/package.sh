#!/usr/bin/env bash
# Packages a built cognito-tui binary; scripts/dist.sh builds and checks the binary, then
# calls this. CI calls it on the debug binary its tests ran.
#
#   scripts/package.sh [--allow-dirty] [--target TRIPLE] BINARY
#
# Writes into DIST_DIR (default dist/), for TRIPLE (default x86_64-unknown-linux-gnu, or
# aarch64-unknown-linux-gnu):
#   cognito-tui-VERSION-ARCH-linux-gnu.tar.gz   binary, README, licences, IAM policies,
#                                               example config, completions, man page
#   cognito-tui_VERSION_DEBARCH.deb             (amd64, arm64) for apt install ./…
#   cognito-tui-VERSION-1.ARCH.rpm              (x86_64, aarch64) for dnf install ./…
#   SHA256SUMS                                  for those three
# The .deb and the .rpm install the files scripts/package-layout lists, where it says, and
# declare what the binary's NEEDED entries call for (glibc >= 2.17, and libgcc when it
# links libgcc_s). VERSION is Cargo.toml's; the binary must say the same version, the same
# target and, unless --allow-dirty, the commit checked out in a clean tree: a published
# package always names the commit it was built from.
#
# Built with Debian's own tools (dpkg-deb, and rpmbuild from Debian's `rpm` package), not
# cargo-deb and cargo-generate-rpm: compiling those two from crates.io costs minutes of CPU
# on every fresh CI machine, while dpkg-deb is on every Debian machine and `rpm` is one
# apt-get install. One layout file feeds both, where the cargo tools would need two
# definitions ([package.metadata.deb] and [package.metadata.generate-rpm]).
set -euo pipefail
shopt -s inherit_errexit 2>/dev/null || true
cd "$(dirname "$0")/.."
root=$(pwd)

say() { printf '== %s\n' "$*" >&2; }
die() { printf 'package.sh: %s\n' "$*" >&2; exit 1; }

allow_dirty=false
triple=x86_64-unknown-linux-gnu
while [ $# -gt 0 ]; do
  case "$1" in
    --allow-dirty) allow_dirty=true ;;
    --target) triple=${2:?--target needs a triple}; shift ;;
    --target=*) triple=${1#--target=} ;;
    -*) die "unknown option $1" ;;
    *) break ;;
  esac
  shift
done
# Refused before anything else: a package must name a real commit.
dirty=$(git status --porcelain 2>/dev/null) || die "not a git checkout: a package names a commit"
if [ -n "$dirty" ] && ! $allow_dirty; then
  die "the tree has uncommitted changes (a package must name a real commit; --allow-dirty to build one anyway):
$dirty"
fi
[ $# -eq 1 ] || die "usage: scripts/package.sh [--allow-dirty] [--target TRIPLE] BINARY"
bin=$(realpath "$1")
[ -x "$bin" ] || die "no executable at $1"
case "$triple" in
  x86_64-unknown-linux-gnu) arch=x86_64 deb_arch=amd64 ;;
  aarch64-unknown-linux-gnu) arch=aarch64 deb_arch=arm64 ;;
  *) die "packages x86_64-unknown-linux-gnu and aarch64-unknown-linux-gnu, not $triple" ;;
esac
target_dir=${CARGO_TARGET_DIR:-$root/target}
dist=${DIST_DIR:-$root/dist}
# Release packages are xz-compressed (the smallest download). CI packages a 60 MB debug
# binary it throws away after installing it: PACKAGE_COMPRESSION=fast (gzip -1) takes
# seconds where xz takes a CPU-minute.
case "${PACKAGE_COMPRESSION:-best}" in
  best) gzip_level=-9 deb_compress=(-Zxz) rpm_payload=w6.xzdio ;;
  fast) gzip_level=-1 deb_compress=(-Zgzip -z1) rpm_payload=w1.gzdio ;;
  *) die "PACKAGE_COMPRESSION is best or fast, not $PACKAGE_COMPRESSION" ;;
esac

# The [package] table's value of KEY in Cargo.toml (a plain `key = "value"` line).
manifest() {
  sed -n '/^\[package\]/,/^\[/{s/^'"$1"' = "\(.*\)"$/\1/p}' Cargo.toml | head -1
}
version=$(manifest version)
description=$(manifest description)
homepage=$(manifest repository)
license=$(manifest license)
[ -n "$version" ] && [ -n "$description" ] && [ -n "$homepage" ] ||
  die "Cargo.toml's [package] lacks version, description or repository"

# --- the binary is what it says ----------------------------------------------------------
commit=$(git rev-parse --short=12 HEAD)
said=$("$bin" --version) || die "$bin --version failed"
case "$said" in
  "cognito-tui $version (commit $commit, $triple)") ;;
  "cognito-tui $version (commit $commit+dirty, $triple)") $allow_dirty || die "$said: built from a dirty tree" ;;
  *) $allow_dirty && [[ "$said" == "cognito-tui $version (commit "*", $triple)" ]] ||
       die "the binary says '$said', not version $version, commit $commit, target $triple" ;;
esac

for tool in dpkg-deb rpmbuild readelf gzip tar sha256sum git; do
  command -v "$tool" >/dev/null ||
    die "needs $tool on PATH (rpmbuild: apt-get install rpm; readelf: binutils)"
done

# --- the release tree: what the tarball holds, and what the packages install from ----------
work=$target_dir/package-$arch
rm -rf "$work" && mkdir -p "$work" "$dist"
name=cognito-tui-$version-$arch-linux-gnu
tree=$work/$name
mkdir -p "$tree/completions" "$tree/assets"
cp "$bin" "$tree/cognito-tui"
cp README.md LICENSE-MIT LICENSE-APACHE config.example.toml "$tree/"
cp assets/iam-policy.json assets/iam-policy-write.json "$tree/assets/"
"$bin" completions bash >"$tree/completions/cognito-tui.bash"
"$bin" completions zsh >"$tree/completions/_cognito-tui"
"$bin" completions fish >"$tree/completions/cognito-tui.fish"
"$bin" man >"$tree/cognito-tui.1"
bash -n "$tree/completions/cognito-tui.bash" || die "the bash completion script does not parse"
# Reproducible: every file dated at the commit, archives sorted and owned by root.
mtime=$(git log -1 --format=%ct)
export SOURCE_DATE_EPOCH=$mtime
find "$tree" -exec touch -h -d "@$mtime" {} +
tar --sort=name --owner=0 --group=0 --numeric-owner --mtime="@$mtime" -C "$work" -c "$name" |
  gzip "$gzip_level" -n >"$dist/$name.tar.gz"
# Only the packages install the gzipped man page (man-db reads either; Debian policy and
# Fedora's guidelines ask for it compressed).
gzip -9n <"$tree/cognito-tui.1" >"$work/cognito-tui.1.gz"
touch -d "@$mtime" "$work/cognito-tui.1.gz"

# --- one layout, two formats ----------------------------------------------------------------
# Prints "FILE DEST MODE" for each line of scripts/package-layout that applies to FORMAT.
layout() {
  local file dest mode formats
  while read -r file dest mode formats; do
    case "$file" in '' | '#'*) continue ;; esac
    [ -z "$formats" ] || [[ ",$formats," == *",$1,"* ]] || continue
    printf '%s %s %s\n' "$file" "$dest" "$mode"
  done <"$root/scripts/package-layout"
}
# The file a layout FILE names: the release tree's, or the gzipped man page.
source_of() {
  if [ "$1" = cognito-tui.1.gz ]; then echo "$work/cognito-tui.1.gz"; else echo "$tree/$1"; fi
}
# Copies FORMAT's files into the root directory ROOT, with their modes.
stage() {
  local file dest mode
  layout "$1" | while read -r file dest mode; do
    install -D -m "$mode" "$(source_of "$file")" "$2$dest"
  done
  find "$2" -exec touch -h -d "@$mtime" {} +
}

# Runtime dependencies from the binary's NEEDED entries: the C library family is glibc
# (>= the floor the binary was linked for), libgcc_s is GCC's unwinder (libgcc); anything
# else has no package name here and stops the build.
needs_libgcc=false
while read -r lib; do
  case "$lib" in
    libc.so.* | libm.so.* | libdl.so.* | libpthread.so.* | librt.so.* | libutil.so.* | ld-linux*) ;;
    libgcc_s.so.*) needs_libgcc=true ;;
    *) die "the binary needs $lib, which no declared dependency provides" ;;
  esac
done < <(readelf -d "$bin" | sed -n 's/.*(NEEDED).*\[\(.*\)\]/\1/p')
glibc_floor=$(readelf -W --dyn-syms "$bin" | grep -o 'GLIBC_[0-9][0-9.]*' | sed 's/GLIBC_//' | sort -uV | tail -1)
[ -n "$glibc_floor" ] || die "no GLIBC_ symbol versions in $bin"
deb_depends="libc6 (>= $glibc_floor)"
rpm_requires="glibc >= $glibc_floor"
if $needs_libgcc; then
  deb_depends="$deb_depends, libgcc-s1 | libgcc1"
  rpm_requires="$rpm_requires, libgcc"
fi
# Debian and RPM order a pre-release (1.0.0-rc.1) before its release with `~`.
pkg_version=${version//-/\~}

build_deb() {
  local deb_root=$work/deb out=$dist/cognito-tui_${version}_$deb_arch.deb
  stage deb "$deb_root"
  mkdir -p "$deb_root/DEBIAN"
  (cd "$deb_root" && find usr -type f | sort | xargs md5sum >DEBIAN/md5sums)
  cat >"$deb_root/DEBIAN/control" <<EOF
Package: cognito-tui
Version: $pkg_version
Architecture: $deb_arch
Maintainer: cognito-tui developers <$homepage/issues>
Installed-Size: $(du -sk --exclude=DEBIAN "$deb_root" | cut -f1)
Depends: $deb_depends
Section: admin
Priority: optional
Homepage: $homepage
Description: $description
 A terminal UI and one-shot commands (get, search, diagnose, export) for support desks
 and operators on bastion hosts. Built from commit $commit.
EOF
  dpkg-deb --root-owner-group "${deb_compress[@]}" --build "$deb_root" "$out" >/dev/null
  echo "$out"
}

build_rpm() {
  local top=$work/rpmbuild rpm_root=$work/rpm file dest mode
  stage rpm "$rpm_root"
  mkdir -p "$top/SPECS"
  {
    cat <<EOF
Name: cognito-tui
Version: $pkg_version
Release: 1
Summary: $description
License: $license
URL: $homepage
Requires: $rpm_requires
# The binary is built and stripped already; rpm's own dependency scan, stripping, debug
# package and build-id links would describe another binary than the one shipped.
AutoReqProv: no
%global debug_package %{nil}
%global __os_install_post %{nil}
%global _build_id_links none

%description
A terminal UI and one-shot commands (get, search, diagnose, export) for support desks and
operators on bastion hosts. Built from commit $commit.

%install
cp -a "$rpm_root/." "%{buildroot}/"

%files
EOF
    layout rpm | while read -r file dest mode; do
      printf '%%attr(%s,root,root) %s\n' "$mode" "$dest"
    done
    # The package's own directories, so that removing it removes them too.
    layout rpm | while read -r file dest mode; do dirname "$dest"; done |
      grep '/cognito-tui$' | sort -u | sed 's/^/%dir /'
  } >"$top/SPECS/cognito-tui.spec"
  # An xz (or gzip) payload and no newer rpmlib features: Amazon Linux 2 and RHEL 7 (rpm
  # 4.11, glibc 2.17) read it. Times come from SOURCE_DATE_EPOCH, so a rebuild gives the same package.
  rpmbuild -bb --quiet --target "$arch-linux" \
    --define "_topdir $top" \
    --define "_binary_payload $rpm_payload" \
    --define "use_source_date_epoch_as_buildtime 1" \
    --define "clamp_mtime_to_source_date_epoch 1" \
    --define "_buildhost reproducible" \
    "$top/SPECS/cognito-tui.spec" >"$work/rpmbuild.log" 2>&1 ||
    { cat "$work/rpmbuild.log" >&2; die "rpmbuild failed"; }
  local built=$top/RPMS/$arch/cognito-tui-$pkg_version-1.$arch.rpm
  [ -f "$built" ] || die "rpmbuild wrote no $built"
  cp "$built" "$dist/"
  echo "$dist/$(basename "$built")"
}

say "packages for $triple in $dist"
deb=$(build_deb)
rpm=$(build_rpm)
(cd "$dist" && sha256sum "$name.tar.gz" "$(basename "$deb")" "$(basename "$rpm")" >SHA256SUMS)
printf '%s\n' "$dist/$name.tar.gz" "$deb" "$rpm" "$dist/SHA256SUMS"
