# The life cycle shared by hark's local AI services (scripts/asr-service, llm-service,
# embeddings-service): a pinned venv, a server started in the background on 127.0.0.1 with a
# pid file, a URL file and a log, health checks, stop and status. Sourced, not run.
#
# The calling script sets, before `service_main "$cmd"`:
#   name             asr | llm | embeddings (services/<name>/server.py, messages "<name>-service: …")
#   venv run_dir     where the venv and the pid/url/log files live
#   port timeout     the port (0: any free one) and how long to wait for /health, in seconds
#   python_override  a python3 to build the venv with ("" = Debian's, else any >= 3.9)
#   install_note     what the first install is and how long it takes, for the user
#   install_failure  what could not be installed, for the error
#   pip_args         extra `pip install` arguments (an array; e.g. --no-deps)
#   pip_env          extra environment for pip (an array of NAME=value; e.g. CMAKE_ARGS=…)
#   server_args      the server's own arguments after --host/--port (an array)
#   extra            further arguments from the command line (an array)
#   describe         what `start` reports after the pid ("model base, workers 1")
#   prepare_on_start 1: load the model once (`prepare_model`) before starting the server
# and may define:
#   before_install   checks before pip runs (e.g. a C++ compiler for llama.cpp)
#   prepare_model    loads the model once, to fail early with a clear message
# `die` and `usage` are defined here for the option parsing that comes before service_main.

svc="$root/services/$name"
pid_file="$run_dir/server.pid"
url_file="$run_dir/url"
log_file="$run_dir/server.log"
requirements="$svc/requirements.txt"
pip_args=()
pip_env=()
prepare_on_start=1

die() { echo "$name-service: $*" >&2; exit 1; }

# The comment block at the top of the calling script.
usage() { awk 'NR > 1 && /^#/ { sub(/^# ?/, ""); print; next } NR > 1 { exit }' "$0" >&2; exit 2; }

before_install() { :; }
prepare_model() { :; }

pick_python() {
  if [ -n "${python_override:-}" ]; then echo "$python_override"; return; fi
  # Debian's python3 (+ python3-venv, from scripts/install-deps.sh) first: a fixed path that
  # every machine of this kind has; any python3 >= 3.9 with venv otherwise.
  local p
  for p in /usr/bin/python3 python3; do
    if command -v "$p" >/dev/null 2>&1 &&
       "$p" -c 'import sys, venv, ensurepip; sys.exit(sys.version_info < (3, 9))' 2>/dev/null; then
      command -v "$p"; return
    fi
  done
  die "no python3 (>= 3.9) with the venv module; run scripts/install-deps.sh (python3-venv)"
}

# Creates or updates the venv; a stamp holding requirements.txt's hash makes re-runs instant.
setup_venv() {
  mkdir -p "$(dirname "$venv")" "$run_dir"
  local want stamp="$venv/.hark-requirements.sha256"
  want="$(sha256sum "$requirements" | cut -d' ' -f1)"
  exec 8>"$(dirname "$venv")/.$name-setup.lock"
  flock 8   # two callers at once (parallel tests) install once
  if [ -x "$venv/bin/python" ] && [ "$(cat "$stamp" 2>/dev/null)" = "$want" ]; then
    exec 8>&-; return 0
  fi
  local python pip_log="$run_dir/pip.log" t0=$SECONDS
  python="$(pick_python)"
  before_install
  echo "$name-service: installing $install_note into $venv (log $pip_log)" >&2
  if [ ! -x "$venv/bin/python" ]; then
    "$python" -m venv "$venv" >"$pip_log" 2>&1 ||
      { cat "$pip_log" >&2; die "could not create a venv with $python (install python3-venv)"; }
  fi
  rm -f "$stamp"
  if ! env "${pip_env[@]}" "$venv/bin/python" -m pip install --disable-pip-version-check \
       --no-input -q "${pip_args[@]}" -r "$requirements" >>"$pip_log" 2>&1; then
    echo "--- last lines of $pip_log:" >&2
    tail -n 25 "$pip_log" >&2
    die "$install_failure (pip install -r $requirements failed; full log: $pip_log)"
  fi
  echo "$want" >"$stamp"
  echo "$name-service: installed in $((SECONDS - t0)) s" >&2
  exec 8>&-
}

running_pid() {
  local pid
  pid="$(cat "$pid_file" 2>/dev/null)" || return 1
  [[ "$pid" =~ ^[0-9]+$ ]] && kill -0 "$pid" 2>/dev/null || return 1
  # The pid must still be our server, not a recycled number.
  tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null | grep -q "services/$name/server.py" || return 1
  echo "$pid"
}

healthy() { curl -fsS --max-time 2 "$1/health" >/dev/null 2>&1; }

start() {
  mkdir -p "$run_dir"
  exec 9>"$run_dir/.start.lock"
  flock 9
  local pid url
  if pid="$(running_pid)"; then
    url="$(cat "$url_file")"
    if healthy "$url"; then
      [ "$url" = "http://127.0.0.1:$port" ] || [ "$port" = 0 ] ||
        echo "$name-service: already running at $url (pid $pid); stop it to change the port" >&2
      echo "$url"; return 0
    fi
  fi
  setup_venv
  if [ "$prepare_on_start" = 1 ]; then prepare_model; fi
  if [ "$port" = 0 ]; then  # a free port, for tests that must not collide with a dev server
    port="$("$venv/bin/python" -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')"
  fi
  url="http://127.0.0.1:$port"
  if healthy "$url"; then
    die "port $port already answers /health but is not this checkout's server; use --port"
  fi
  : >"$log_file"
  # setsid: the server outlives the calling shell and its terminal; stdin from /dev/null.
  # 8>&- 9>&-: the server must not inherit the lock files, or the next start would wait on it.
  setsid "$venv/bin/python" "$svc/server.py" --host 127.0.0.1 --port "$port" \
    "${server_args[@]}" "${extra[@]}" </dev/null >>"$log_file" 2>&1 8>&- 9>&- &
  pid=$!
  echo "$pid" >"$pid_file"
  echo "$url" >"$url_file"
  local deadline=$((SECONDS + timeout))
  until healthy "$url"; do
    if ! kill -0 "$pid" 2>/dev/null; then
      rm -f "$pid_file"
      echo "--- last lines of $log_file:" >&2
      tail -n 20 "$log_file" >&2
      die "the server exited before answering (see $log_file)"
    fi
    if [ $SECONDS -ge $deadline ]; then
      kill "$pid" 2>/dev/null || true
      rm -f "$pid_file"
      die "the server did not answer $url/health within ${timeout}s (see $log_file)"
    fi
    sleep 0.3
  done
  echo "$name-service: running at $url (pid $pid, $describe; log $log_file)" >&2
  echo "$url"
}

stop() {
  local pid i
  if ! pid="$(running_pid)"; then
    rm -f "$pid_file"
    echo "$name-service: not running" >&2
    return 0
  fi
  kill -TERM "$pid" 2>/dev/null || true
  for i in $(seq 1 50); do
    kill -0 "$pid" 2>/dev/null || break
    sleep 0.2
  done
  if kill -0 "$pid" 2>/dev/null; then kill -KILL "$pid" 2>/dev/null || true; fi
  rm -f "$pid_file"
  echo "$name-service: stopped (pid $pid)" >&2
}

status() {
  local pid url
  if pid="$(running_pid)"; then
    url="$(cat "$url_file")"
    if healthy "$url"; then
      echo "running at $url (pid $pid) $(curl -fsS --max-time 2 "$url/health")"
      return 0
    fi
    echo "starting or unresponsive at $url (pid $pid)"
    return 3
  fi
  echo "not running"
  return 3
}

service_main() {
  [[ "$port" =~ ^[0-9]+$ ]] || die "--port must be a number (got '$port'; 0 picks a free one)"
  case "$1" in
    start) start ;;
    stop) stop ;;
    status) status ;;
    url)
      if running_pid >/dev/null && healthy "$(cat "$url_file")"; then cat "$url_file"; else
        echo "$name-service: not running (scripts/$name-service start)" >&2; exit 3; fi ;;
    setup) setup_venv; prepare_model; echo "$name-service: ready ($venv)" >&2 ;;
    run)
      setup_venv
      if [ "$prepare_on_start" = 1 ]; then prepare_model; fi
      exec "$venv/bin/python" "$svc/server.py" --host 127.0.0.1 --port "$port" \
        "${server_args[@]}" "${extra[@]}" ;;
    *) usage ;;
  esac
}
