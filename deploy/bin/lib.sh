# shellcheck shell=bash
# Shared helpers for the deploy/bin scripts. Source it; it defines functions only
# (plus AIGW_ROOT, the repository root).

AIGW_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
AIGW_INFRA_DIR="$AIGW_ROOT/deploy/infra"
AIGW_T0=${AIGW_T0:-$(date +%s)}

# --- output -------------------------------------------------------------------------------------

aigw_elapsed() { echo $(( $(date +%s) - AIGW_T0 )); }

log()  { printf '[%s +%3ss] %s\n' "$(date +%H:%M:%S)" "$(aigw_elapsed)" "$*"; }
warn() { printf '[%s +%3ss] WARNING: %s\n' "$(date +%H:%M:%S)" "$(aigw_elapsed)" "$*" >&2; }
die()  { printf '[%s +%3ss] ERROR: %s\n' "$(date +%H:%M:%S)" "$(aigw_elapsed)" "$*" >&2; exit 1; }

# tail_log FILE [LINES]: the end of a log, indented, on stderr.
tail_log() {
  local file=$1 lines=${2:-40}
  if [[ -s $file ]]; then
    printf -- '----- last %s lines of %s -----\n' "$lines" "$file" >&2
    tail -n "$lines" "$file" | sed 's/^/  | /' >&2
    printf -- '-----\n' >&2
  fi
}

# --- network ------------------------------------------------------------------------------------

# port_open HOST PORT: true when something accepts TCP connections there (1 s timeout).
port_open() {
  if command -v timeout >/dev/null; then
    timeout 1 bash -c 'exec 3<>"/dev/tcp/$1/$2"' _ "$1" "$2" 2>/dev/null
  else # macOS without coreutils: a local port answers or refuses at once
    bash -c 'exec 3<>"/dev/tcp/$1/$2"' _ "$1" "$2" 2>/dev/null
  fi
}

# redis_ping HOST PORT: true when a Redis answers PING with PONG.
redis_ping() {
  local t=()
  command -v timeout >/dev/null && t=(timeout 2)
  "${t[@]+"${t[@]}"}" bash -c '
    exec 3<>"/dev/tcp/$1/$2" || exit 1
    printf "PING\r\n" >&3
    IFS= read -r -t 2 line <&3 || exit 1
    [[ $line == "+PONG"* ]]' _ "$1" "$2" 2>/dev/null
}

# is_local_host HOST: true for addresses of this machine that the launcher may start servers on.
is_local_host() {
  [[ $1 == 127.0.0.1 || $1 == localhost || $1 == ::1 ]]
}

# --- processes ----------------------------------------------------------------------------------

# pid_alive PID
pid_alive() { [[ -n ${1:-} ]] && kill -0 "$1" 2>/dev/null; }

# pid_matches PID MARKER: the process' command line contains MARKER (guards against pid reuse).
pid_matches() {
  local pid=$1 marker=$2
  pid_alive "$pid" || return 1
  [[ -r /proc/$pid/cmdline ]] || return 0 # no /proc (macOS): trust the pid file
  tr '\0' ' ' < "/proc/$pid/cmdline" | grep -qF -- "$marker"
}

# stop_pid PID NAME [TIMEOUT_S]: SIGTERM, wait, then SIGKILL. Returns once the process is gone.
stop_pid() {
  local pid=$1 name=$2 timeout=${3:-30} i
  pid_alive "$pid" || return 0
  kill -TERM "$pid" 2>/dev/null || return 0
  for (( i = 0; i < timeout * 5; i++ )); do
    pid_alive "$pid" || { log "stopped $name (pid $pid)"; return 0; }
    sleep 0.2
  done
  warn "$name (pid $pid) did not stop within ${timeout}s: killing it"
  kill -KILL "$pid" 2>/dev/null || true
  for (( i = 0; i < 25; i++ )); do pid_alive "$pid" || return 0; sleep 0.2; done
}

# stop_pids TIMEOUT_S NAME=PID...: SIGTERM to all at once, wait for all, SIGKILL what is left.
stop_pids() {
  local timeout=$1 i entry left
  shift
  for entry in "$@"; do kill -TERM "${entry#*=}" 2>/dev/null || true; done
  for (( i = 0; i < timeout * 5; i++ )); do
    left=0
    for entry in "$@"; do pid_alive "${entry#*=}" && left=1; done
    (( left == 0 )) && break
    sleep 0.2
  done
  for entry in "$@"; do
    if pid_alive "${entry#*=}"; then
      warn "${entry%%=*} (pid ${entry#*=}) did not stop within ${timeout}s: killing it"
      kill -KILL "${entry#*=}" 2>/dev/null || true
    else
      log "stopped ${entry%%=*} (pid ${entry#*=})"
    fi
  done
}

# wait_for_line FILE PATTERN PID TIMEOUT_S NAME: wait until FILE contains PATTERN (grep -E); fail
# (with the log tail) when PID exits or the timeout passes.
wait_for_line() {
  local file=$1 pattern=$2 pid=$3 timeout=$4 name=$5 deadline
  deadline=$(( $(date +%s) + timeout ))
  while ! grep -qE -- "$pattern" "$file" 2>/dev/null; do
    if ! pid_alive "$pid"; then
      tail_log "$file"
      warn "$name exited before it was ready (log: $file)"
      return 1
    fi
    if (( $(date +%s) >= deadline )); then
      tail_log "$file"
      warn "$name not ready after ${timeout}s (log: $file)"
      return 1
    fi
    sleep 0.2
  done
}

# wait_for_http URL PID TIMEOUT_S NAME LOG: wait until URL answers 2xx.
wait_for_http() {
  local url=$1 pid=$2 timeout=$3 name=$4 logfile=$5 deadline
  deadline=$(( $(date +%s) + timeout ))
  until curl -fsS -o /dev/null --max-time 2 "$url" 2>/dev/null; do
    if ! pid_alive "$pid"; then
      tail_log "$logfile"
      warn "$name exited before it was ready (log: $logfile)"
      return 1
    fi
    if (( $(date +%s) >= deadline )); then
      tail_log "$logfile"
      warn "$name not ready after ${timeout}s: $url (log: $logfile)"
      curl -sS --max-time 2 "$url" >&2 2>/dev/null && echo >&2 || true
      return 1
    fi
    sleep 0.3
  done
}

# --- the infra module (Kafka, embedded PostgreSQL/Redis, CREATE DATABASE) ------------------------

# infra_build_if_needed: package deploy/infra when its jar or classpath is missing or older than its sources.
infra_build_if_needed() {
  local jar="$AIGW_INFRA_DIR/target/infra.jar" cp="$AIGW_INFRA_DIR/target/classpath.txt"
  if [[ -f $jar && -f $cp ]] && [[ -z $(find "$AIGW_INFRA_DIR/src/main" "$AIGW_INFRA_DIR/pom.xml" -newer "$jar" -print -quit 2>/dev/null) ]] \
      && infra_classpath_complete "$cp"; then
    return 0
  fi
  log "building deploy/infra"
  (cd "$AIGW_ROOT" && ./mvnw -B -q -f deploy/infra/pom.xml package -DskipTests) || die "building deploy/infra failed"
}

# infra_classpath_complete FILE: every jar of the classpath file exists (the local repository may have been cleaned).
infra_classpath_complete() {
  local entry
  local IFS=:
  for entry in $(cat "$1"); do
    [[ -f $entry ]] || return 1
  done
}

# infra_install_runtime DIR: copy infra.jar into DIR and set AIGW_INFRA_CP. The copy means a rebuild of
# deploy/infra (e.g. by the Maven run of the tests) never rewrites a jar under a running broker.
infra_install_runtime() {
  local dir=$1
  mkdir -p "$dir"
  cp "$AIGW_INFRA_DIR/target/infra.jar" "$dir/infra.jar"
  AIGW_INFRA_CP="$dir/infra.jar:$(cat "$AIGW_INFRA_DIR/target/classpath.txt")"
}

# infra_java JVM_OPTS MAIN ARGS...: run io.aigateway.infra.MAIN in the foreground.
infra_java() {
  local opts=$1 main=$2
  shift 2
  # shellcheck disable=SC2086 # JVM options are a space-separated list on purpose
  java $opts -cp "$AIGW_INFRA_CP" "io.aigateway.infra.$main" "$@"
}

# require_java: java on the PATH, version 17 or newer.
require_java() {
  command -v java >/dev/null || die "java not found: Java 17 or newer is required"
  local spec
  spec=$(java -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java\.specification\.version = //p')
  [[ $spec =~ ^[0-9]+$ ]] && (( spec >= 17 )) || die "Java 17 or newer is required (found: ${spec:-unknown}); set PATH/JAVA_HOME"
}

# sha256_hex: SHA-256 of stdin, lower-case hex.
sha256_hex() {
  if command -v sha256sum >/dev/null; then sha256sum | cut -d' ' -f1; else shasum -a 256 | cut -d' ' -f1; fi
}

# random_token: 32 random bytes, hex.
random_token() {
  od -An -N32 -tx1 /dev/urandom | tr -d ' \n'
}

# --- Keycloak (the OIDC issuer of the stack and the e2e tests; deploy/keycloak/README.md) -------------------------

AIGW_KEYCLOAK_VERSION=${AIGW_KEYCLOAK_VERSION:-26.5.6}

# keycloak_install DIR: Keycloak unpacked in DIR (the zip comes from Maven Central through the local repository,
# fetched once). Does nothing when DIR already holds this version.
keycloak_install() {
  local dir=$1 zip
  [[ -x $dir/bin/kc.sh && -f $dir/.aigw-version && $(cat "$dir/.aigw-version") == "$AIGW_KEYCLOAK_VERSION" ]] && return 0
  zip="${AIGW_M2_REPO:-$HOME/.m2/repository}/org/keycloak/keycloak-quarkus-dist/$AIGW_KEYCLOAK_VERSION/keycloak-quarkus-dist-$AIGW_KEYCLOAK_VERSION.zip"
  if [[ ! -s $zip ]]; then
    log "fetching Keycloak $AIGW_KEYCLOAK_VERSION from Maven Central (~165 MB, once)"
    (cd "$AIGW_ROOT" && ./mvnw -B -q dependency:get -Dtransitive=false \
      -Dartifact="org.keycloak:keycloak-quarkus-dist:$AIGW_KEYCLOAK_VERSION:zip") || die "could not fetch Keycloak"
  fi
  command -v unzip >/dev/null || die "unzip not found (Debian package unzip): needed to unpack Keycloak"
  rm -rf "$dir" "$dir.part"
  mkdir -p "$dir.part"
  unzip -q "$zip" -d "$dir.part" || die "could not unpack $zip"
  mv "$dir.part/keycloak-$AIGW_KEYCLOAK_VERSION" "$dir"
  rm -rf "$dir.part"
  echo "$AIGW_KEYCLOAK_VERSION" > "$dir/.aigw-version"
}

# keycloak_realm TEMPLATE OUT EDGE_URL DEMO_PASSWORD ADMIN_PASSWORD [TEST_CLIENTS]: the realm file with its
# placeholders filled in. The end-to-end tests' clients (clientId aigw-test-*, each with "enabled": true on the line
# after its clientId) stay enabled only with TEST_CLIENTS=1 (deploy/bin/test); otherwise (the stack) they are imported
# disabled: Keycloak issues no token through them.
keycloak_realm() {
  local template=$1 out=$2 edge=$3 test_clients=${6:-0} localhost
  localhost=${edge/127.0.0.1/localhost}
  local off=()
  [[ $test_clients == 1 ]] || off=(-e '/"clientId": "aigw-test-/{n;s/"enabled": true,/"enabled": false,/;}')
  mkdir -p "$(dirname "$out")"
  (umask 077 && sed -e "s|@UI_CLIENT@|aigw-ui|g" -e "s|@CLI_CLIENT@|aigw-cli|g" -e "s|@AUDIENCE@|aigw|g" \
    -e "s|@DEMO_USER@|demo|g" -e "s|@ADMIN_USER@|admin|g" \
    -e "s|@DEMO_PASSWORD@|$4|g" -e "s|@ADMIN_PASSWORD@|$5|g" \
    -e "s|@EDGE_URL@|$edge|g" -e "s|@EDGE_URL_LOCALHOST@|$localhost|g" ${off[@]+"${off[@]}"} "$template" > "$out")
  if [[ $test_clients != 1 ]] && [[ $(grep -c '"clientId": "aigw-test-' "$out") != \
      $(grep -A1 '"clientId": "aigw-test-' "$out" | grep -c '"enabled": false,') ]]; then
    die "$template: a test client (aigw-test-*) would be imported enabled; put \"enabled\": true, right after its clientId"
  fi
}

# keycloak_command DIR PORT MANAGEMENT_PORT BOOTSTRAP_PASSWORD: the command line that runs Keycloak from DIR (dev
# mode: HTTP on 127.0.0.1, dev-file database in DIR/data, the realms of DIR/data/import imported when missing).
keycloak_command() {
  local dir=$1
  printf '%s\n' env KC_BOOTSTRAP_ADMIN_USERNAME=kcadmin "KC_BOOTSTRAP_ADMIN_PASSWORD=$4" \
    "JAVA_OPTS_KC_HEAP=${AIGW_KEYCLOAK_HEAP:--Xms64m -Xmx512m}" \
    "$dir/bin/kc.sh" start-dev --http-host=127.0.0.1 "--http-port=$2" "--http-management-port=$3" \
    --health-enabled=true --import-realm --hostname-strict=false
}

# keycloak_home: where the unpacked Keycloak is cached for test runs (unpacked once per version, ~300 MB).
keycloak_home() { echo "${AIGW_KEYCLOAK_HOME:-${XDG_CACHE_HOME:-$HOME/.cache}/aigw/keycloak-$AIGW_KEYCLOAK_VERSION}"; }

# free_port: a TCP port nothing listens on now (for servers that cannot report a port they chose themselves). It is
# taken below the kernel's ephemeral range: a server that binds it seconds later (Keycloak) must not find it handed
# meanwhile to a test that asked the OS for any free port (port 0), nor take one such a test just released.
free_port() {
  local p i low=32768 high
  [[ -r /proc/sys/net/ipv4/ip_local_port_range ]] && read -r low high < /proc/sys/net/ipv4/ip_local_port_range
  (( low > 12000 )) || low=32768
  for i in $(seq 1 50); do
    p=$(( 10000 + RANDOM % (low - 10000) ))
    port_open 127.0.0.1 "$p" || { echo "$p"; return 0; }
  done
  die "no free port found"
}

# keycloak_start HOME DATA_DIR PORT MANAGEMENT_PORT LOG EDGE_URL DEMO_PASSWORD ADMIN_PASSWORD [TEST_CLIENTS]: start
# Keycloak in the background (its pid in KEYCLOAK_PID) with realm aigw imported into a database under DATA_DIR (a new
# DATA_DIR: a fresh realm). The realm file is written to HOME/data/import, which is where --import-realm reads it.
# TEST_CLIENTS=1 (the test runs only) keeps the end-to-end tests' clients enabled (keycloak_realm).
keycloak_start() {
  local home=$1 data=$2 port=$3 mgmt=$4 logfile=$5
  mkdir -p "$data"
  keycloak_realm "$AIGW_ROOT/deploy/keycloak/aigw-realm.json" "$home/data/import/aigw-realm.json" "$6" "$7" "$8" "${9:-0}"
  local cmd
  mapfile -t cmd < <(keycloak_command "$home" "$port" "$mgmt" "$(random_token)")
  if command -v setsid >/dev/null; then
    setsid "${cmd[@]}" "--db-url=jdbc:h2:file:$data/keycloakdb;NON_KEYWORDS=VALUE" > "$logfile" 2>&1 < /dev/null &
  else
    "${cmd[@]}" "--db-url=jdbc:h2:file:$data/keycloakdb;NON_KEYWORDS=VALUE" > "$logfile" 2>&1 < /dev/null &
  fi
  KEYCLOAK_PID=$!
}

# --- benchmarks (deploy/bin/bench, deploy/bin/bench-ab) -------------------------------------------

# ticks PID: utime + stime of a process (clock ticks), "-" when it is gone
ticks() {
  local s
  s="$(cat "/proc/$1/stat" 2>/dev/null)" || { echo "-"; return; }
  s="${s##*) }" # after "pid (comm) ": field 1 = state, utime = 12, stime = 13
  awk '{ print $12 + $13 }' <<< "$s"
}

# ticks_of_comm NAME: summed ticks of every process of that name, machine-wide (shared PostgreSQL, Redis)
ticks_of_comm() {
  local pid t sum=0
  for pid in $(pgrep -x "$1" 2>/dev/null || true); do
    t="$(ticks "$pid")"; [[ "$t" == "-" ]] || sum=$((sum + t))
  done
  echo "$sum"
}

# bench_quota_json: the quota the benchmarks give their users (PUT /api/v1/ai/admin/quotas/users/{id}): every window
# limited, never tripping; AIGW_BENCH_QUOTA=unlimited: no limits. An edge with AIGW_QUOTA_ENABLED=false ignores it.
bench_quota_json() {
  if [[ "${AIGW_BENCH_QUOTA:-limits}" == unlimited ]]; then
    echo '{"tier":"unlimited"}'
  else
    echo '{"tier":"enterprise","limits":{"requestsPerMinute":1000000000,"tokensPerMinute":1000000000000,'\
'"requestsPerDay":1000000000,"tokensPerDay":1000000000000,"tokensPerMonth":1000000000000,'\
'"spendUsdPerDay":"1000000","spendUsdPerMonth":"1000000"}}'
  fi
}
