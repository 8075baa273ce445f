#!/usr/bin/env bash
# Container health check without curl or wget: exits 0 when GET http://127.0.0.1:PORT/PATH
# answers 2xx within TIMEOUT seconds (default 3), else 1.
#   http-ok 9400 /metrics
#   http-ok 8080 /health/ready
set -uo pipefail
port=${1:?usage: http-ok PORT [PATH] [TIMEOUT]}
path=${2:-/}
timeout=${3:-3}
{ exec 3<>"/dev/tcp/127.0.0.1/${port}"; } 2>/dev/null || exit 1
printf 'GET %s HTTP/1.0\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n' "${path}" >&3
IFS=' ' read -r -t "${timeout}" _ status _ <&3 || exit 1
exec 3<&-
[[ ${status} == 2[0-9][0-9] ]]
