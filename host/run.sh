# shellcheck shell=bash
# The host variant's launcher, sourced by the one step of host/action.yml (the runner starts that step's bash
# with -e -o pipefail, and it has set host_dir to this directory). In order:
#   1. find the runner's Python: the first of python3, python that is 3.11 or newer (otherwise a clear error);
#   2. find or make the runtime: a venv with exactly the hashed lock requirements/runtime.txt, kept in the
#      runner's tool cache under a key of the lock's hash, the Python version, OS, architecture and
#      interpreter, so a second use in the job (or a later job on a self-hosted runner) installs nothing;
#   3. run the action's entrypoint.py with that venv's Python and the container image's flags (-u -B -E -s).
# Written for every runner's bash: 3.2 (macOS), 5.x (Linux) and Git Bash on Windows, where paths are converted
# to the C:/x/y form that both Git Bash and Windows programs accept.

_as_path() {
  if command -v cygpath >/dev/null 2>&1; then cygpath -m "$1"; else printf '%s\n' "$1"; fi
}

# A setup failure is reported like the action's own failures: an ::error naming the problem, every output
# written (ok=false, error=...), exit code 1. `errors: false` does not apply: the action did not run.
_setup_failed() {
  printf '::error title=ActivitySmith (host variant)::%s\n' "$1"
  if [ -n "${GITHUB_OUTPUT:-}" ]; then
    {
      printf 'ok=false\nresponse=\ntime=%s\nlive_activity_id=\noperation=\nnotification_id=\nstatus=\nattempts=0\n' \
        "$(date +%s)"
      printf 'error=%s\n' "$1"
    } >>"$GITHUB_OUTPUT"
  fi
  exit 1
}

action_root="${host_dir:?host_dir is set by host/action.yml}/.."
lock="$action_root/requirements/runtime.txt"

# 1. The interpreter. The probe must run on any Python (even 2.7) so the error can name the version found; it
# also prints the runtime's cache key: hash of the lock and of the interpreter's real path, plus the readable
# parts (the interpreter path keeps two Pythons of one version apart; the venv points at its base Python).
_probe='
import hashlib, os, platform, sys
v = sys.version_info
key = ""
if v >= (3, 11):
    base = os.path.realpath(getattr(sys, "_base_executable", sys.executable))
    digest = hashlib.sha256(open(sys.argv[1], "rb").read() + b"\0" + base.encode("utf-8")).hexdigest()[:16]
    key = "%s%d.%d.%d-%s-%s-%s" % (sys.implementation.name, v[0], v[1], v[2], sys.platform,
                                   platform.machine().lower() or "unknown", digest)
print("%d.%d.%d %s" % (v[0], v[1], v[2], key))
'
python=""
key=""
found=""
for candidate in python3 python; do
  command -v "$candidate" >/dev/null 2>&1 || continue
  # A Windows runner's python3 may be the Store stub, which fails: skip what does not answer.
  # -E -s -S (all known to Python 2.7 too): a PYTHONPATH or PYTHONHOME in the job cannot change the answer.
  answer=$("$candidate" -E -s -S -c "$_probe" "$lock" 2>/dev/null) || continue
  version=${answer%% *}
  major=${version%%.*}
  minor=${version#*.}
  minor=${minor%%.*}
  case "$major.$minor" in
    [0-9]*.[0-9]*) ;;
    *) continue ;;
  esac
  if [ "$major" -gt 3 ] || { [ "$major" -eq 3 ] && [ "$minor" -ge 11 ]; }; then
    python=$candidate
    key=${answer#* }
    break
  fi
  found="$found${found:+, }$candidate is $version"
done
if [ -z "$python" ]; then
  _setup_failed "the host variant needs Python 3.11 or newer on PATH (python3 or python); ${found:-found none}. Add actions/setup-python with python-version: '3.13' (any 3.11 or newer) before this step."
fi

# 2. The runtime, in the tool cache (RUNNER_TOOL_CACHE; RUNNER_TEMP when the tool cache is unset or read-only).
runtime=""
for root in "${RUNNER_TOOL_CACHE:-}" "${RUNNER_TEMP:-}"; do
  [ -n "$root" ] || continue
  root=$(_as_path "$root")
  if mkdir -p "$root/activitysmith-action" 2>/dev/null && [ -w "$root/activitysmith-action" ]; then
    runtime="$root/activitysmith-action/$key"
    break
  fi
done
[ -n "$runtime" ] || _setup_failed "neither RUNNER_TOOL_CACHE nor RUNNER_TEMP is a writable directory: the host variant must run as a GitHub Actions step"

if [ -f "$runtime/.complete" ]; then
  echo "ActivitySmith: reusing the runtime in $runtime"
else
  echo "::group::ActivitySmith: installing the locked runtime into $runtime (once per lock and Python)"
  if ! "$python" -I "$host_dir/install_runtime.py" "$lock" "$runtime"; then
    echo "::endgroup::"
    _setup_failed "installing the locked runtime (requirements/runtime.txt) with $python $version failed: see the install log above"
  fi
  echo "::endgroup::"
fi
if [ -f "$runtime/Scripts/python.exe" ]; then
  runtime_python="$runtime/Scripts/python.exe"
else
  runtime_python="$runtime/bin/python"
fi

# 3. The action, exactly as the image's ENTRYPOINT runs it: unbuffered, no .pyc writes, PYTHON* variables and
# the user's site-packages ignored; a script path, so the workspace (the working directory) is not importable.
# The action's auto-end needs a post step, which composite actions do not have: the action says so instead.
export ACTIVITYSMITH_ACTION_VARIANT=host
exec "$runtime_python" -u -B -E -s "$action_root/entrypoint.py"
