# Sourced by bench/run.sh and bench/scale.sh once they have read their options: finds the
# shared corpora ($shared), installs the peer engines from Debian (only what is
# missing), compiles the Lucene peer into $out/classes ($lucene_cp), sets $py (Debian's
# Python, where python3-xapian is), and builds Gazette in Release mode into
# build-bench unless $gz already names a build with the benchmark programs.
shared="${GAZETTE_SHARED_DIR:-}"
for candidate in "$root/../shared" /work/shared; do
  [ -z "$shared" ] && [ -d "$candidate/corpora" ] && shared="$candidate"
done
[ -d "$shared/corpora" ] || { echo "bench: cannot find the shared corpora (set GAZETTE_SHARED_DIR)" >&2; exit 1; }

echo "==> peers and tools"
packages=(liblucene8-java default-jdk-headless sqlite3 libsqlite3-dev python3-xapian time libbenchmark-dev)
missing=()
for package in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" || missing+=("$package")
done
if [ ${#missing[@]} -gt 0 ]; then
  sudo_cmd=""; [ "$(id -u)" -ne 0 ] && sudo_cmd="sudo"
  $sudo_cmd apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo_cmd apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi
lucene_cp=$(ls /usr/share/java/lucene-{core,analyzers-common,queryparser,facet}-8.7.0.jar | tr '\n' ':')
mkdir -p "$out/classes"
javac -nowarn -d "$out/classes" -cp "$lucene_cp" bench/peers/LuceneBench.java
lucene_cp="$out/classes:$lucene_cp"
py=/usr/bin/python3

if [ -z "$gz" ]; then
  echo "==> building Gazette (Release)"
  scripts/setup.sh build-bench -DGAZETTE_BUILD_TESTS=OFF -DGAZETTE_BUILD_BENCH=ON >/dev/null
  gz=build-bench
fi
[ -x "$gz/gazette" ] && [ -x "$gz/bench/gazette_query_bench" ] || { echo "bench: no gazette build in $gz" >&2; exit 1; }
