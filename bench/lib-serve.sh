# Shared by the bench scripts (sourced): start/stop a `serve` on $DATA at 127.0.0.1:$PORT with the
# shipped launcher $SERVER, stderr appended to $WORK/serve.err; extra arguments go to serve.
start_serve() {
  "$SERVER" serve --data-dir "$DATA" --operator-http-listen "127.0.0.1:$PORT" "$@" 2>>"$WORK/serve.err" &
  SERVE_PID=$!
  for _ in $(seq 1 600); do
    curl -fsS "http://127.0.0.1:$PORT/q/health/ready" >/dev/null 2>&1 && return 0
    sleep 0.1
  done
  echo "serve did not become ready" >&2; cat "$WORK/serve.err" >&2; exit 1
}
stop_serve() { kill -TERM "$SERVE_PID"; wait "$SERVE_PID" || true; SERVE_PID=""; }
