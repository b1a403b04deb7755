#!/usr/bin/env bash
# A throwaway ngIRCd on 127.0.0.1 for the IRC tests: plain and TLS (self-signed) ports, config, cert and
# log in DIR.
#
#   scripts/ngircd.sh start DIR PLAIN_PORT TLS_PORT [SERVER_PASSWORD]   # waits until both ports accept
#   scripts/ngircd.sh stop DIR                                          # SIGTERM, then SIGKILL after 5 s
#
# `start` keeps DIR's certificate across restarts (so a client pinned to DIR/server.crt reconnects) and
# writes the server's pid to DIR/ngircd.pid. Flood penalties are off (`MaxPenaltyTime = 0`) and a fixed
# RFC 7919 DH group is used, so a start takes well under a second. As root, ngircd drops to `nobody`
# after reading its key: DIR and the config must be readable by nobody.
set -euo pipefail

usage() { echo "usage: $0 start DIR PLAIN_PORT TLS_PORT [SERVER_PASSWORD] | stop DIR" >&2; exit 2; }

start() {
    local dir=$1 plain=$2 tls=$3 password=${4:-}
    command -v ngircd >/dev/null || { echo "ngircd is not installed (scripts/install-ngircd.sh)" >&2; exit 3; }
    mkdir -p "$dir"
    chmod 755 "$dir"
    cd "$dir"
    if [[ -f ngircd.pid ]] && kill -0 "$(cat ngircd.pid)" 2>/dev/null; then
        echo "ngircd already runs in $dir (pid $(cat ngircd.pid))" >&2; exit 1
    fi
    [[ -f server.key ]] || openssl req -x509 -newkey rsa:2048 -nodes -days 30 -subj /CN=localhost \
        -addext "subjectAltName=DNS:localhost,IP:127.0.0.1" -keyout server.key -out server.crt 2>/dev/null
    [[ -f dhparams.pem ]] || openssl genpkey -genparam -algorithm DH -pkeyopt group:ffdhe2048 -out dhparams.pem 2>/dev/null
    chmod 644 server.crt dhparams.pem
    local password_line=""
    [[ -n $password ]] && password_line="Password = $password"
    cat > ngircd.conf <<CONF
[Global]
	Name = irc.localhost
	Info = steward test server
	AdminInfo1 = test
	AdminInfo2 = test
	AdminEMail = test@localhost
	Listen = 127.0.0.1
	Ports = $plain
	MotdPhrase = steward test server
	$password_line
[Limits]
	MaxConnectionsIP = 0
	MaxJoins = 0
	MaxNickLength = 30
	MaxPenaltyTime = 0
	PingTimeout = 30
	PongTimeout = 20
[Options]
	DNS = no
	Ident = no
	PAM = no
[SSL]
	CertFile = $dir/server.crt
	KeyFile = $dir/server.key
	DHFile = $dir/dhparams.pem
	Ports = $tls
CONF
    chmod 644 ngircd.conf
    # -n: no fork, so $! is the server's pid. Descriptors above 2 are closed first: a caller that watches
    # a pipe for our exit (Foundation's Process does) would otherwise wait for the server too.
    (
        for fd in /proc/self/fd/*; do
            fd=${fd##*/}
            if [[ $fd -gt 2 ]]; then eval "exec $fd>&-" 2>/dev/null || true; fi
        done
        exec nohup ngircd -n -f "$dir/ngircd.conf" >> ngircd.log 2>&1 < /dev/null
    ) &
    echo $! > ngircd.pid
    for _ in $(seq 1 300); do
        if (exec 3<>"/dev/tcp/127.0.0.1/$plain") 2>/dev/null && (exec 3<>"/dev/tcp/127.0.0.1/$tls") 2>/dev/null; then
            echo "ngircd up (pid $(cat ngircd.pid)) on 127.0.0.1:$plain and TLS 127.0.0.1:$tls"
            exit 0
        fi
        kill -0 "$(cat ngircd.pid)" 2>/dev/null || { echo "ngircd exited:" >&2; tail -20 ngircd.log >&2; exit 1; }
        sleep 0.05
    done
    echo "ngircd did not listen within 15 s" >&2
    stop "$dir"
    exit 1
}

stop() {
    local dir=$1 pid
    pid=$(cat "$dir/ngircd.pid" 2>/dev/null) || exit 0
    # A zombie (reaped late by PID 1 here) has already closed its sockets: it counts as stopped.
    gone() { ! kill -0 "$pid" 2>/dev/null || [[ $(ps -o stat= -p "$pid" | cut -c1) == Z ]]; }
    kill -TERM "$pid" 2>/dev/null || true
    for _ in $(seq 1 50); do
        if gone; then rm -f "$dir/ngircd.pid"; echo "ngircd stopped"; exit 0; fi
        sleep 0.1
    done
    kill -KILL "$pid" 2>/dev/null || true
    rm -f "$dir/ngircd.pid"
    echo "ngircd killed"
}

case ${1:-} in
    start) [[ $# -ge 4 ]] || usage; start "$2" "$3" "$4" "${5:-}" ;;
    stop) [[ $# -eq 2 ]] || usage; stop "$2" ;;
    *) usage ;;
esac
