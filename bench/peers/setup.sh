# Sourced by bench/run.sh and bench/scale.sh: installs the peer engines from Debian
# (only what is missing) and compiles the Lucene peer. Expects $out; sets $lucene_cp
# (the classpath with LuceneBench) and $py (Debian's Python, where python3-xapian is).
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
