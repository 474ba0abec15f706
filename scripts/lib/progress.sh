# shellcheck shell=bash
# Progress for the long steps of a cold start (sourced by scripts/bootstrap and scripts/setup-docker):
#   progress_step LABEL LOG COMMAND [ARGS...]
# announces LABEL, runs COMMAND with its output appended to LOG (not the terminal), prints a ticker line with
# the elapsed time every PROGRESS_INTERVAL seconds (default 5) while it runs, and the total when it is done:
#   … building the base image
#   … building the base image (5 s)
#   ✓ building the base image (47 s)
# On failure it prints the last lines of LOG and its path, and returns COMMAND's exit status.
# Everything goes to stderr, so a script's stdout stays its own. COMMAND may be a shell function.

progress_step() {
  local label=$1 log=$2
  shift 2
  local start=$SECONDS interval=${PROGRESS_INTERVAL:-5} next status=0 pid
  next=$interval
  echo "… $label" >&2
  "$@" >>"$log" 2>&1 &
  pid=$!
  while kill -0 "$pid" 2>/dev/null; do
    sleep 0.2
    if (( SECONDS - start >= next )) && kill -0 "$pid" 2>/dev/null; then
      echo "… $label ($((SECONDS - start)) s)" >&2
      next=$((SECONDS - start + interval))
    fi
  done
  wait "$pid" || status=$?
  if [ "$status" -ne 0 ]; then
    {
      echo "--- the last lines of $log:"
      tail -n 30 "$log"
      echo "---"
      echo "✗ $label failed after $((SECONDS - start)) s (exit status $status); the whole log: $log"
    } >&2
    return "$status"
  fi
  echo "✓ $label ($((SECONDS - start)) s)" >&2
}
