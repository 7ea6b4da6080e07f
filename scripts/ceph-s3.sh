#!/usr/bin/env bash
# A throwaway single-node Ceph with radosgw as its S3 endpoint, for tests
# (src/hub/testing/s3-server.ts) and by hand. Debian's radosgw cannot run
# alone (its dbstore backend is not built), so this is a mon, one OSD on
# memstore (in memory: gone when the OSD stops) and radosgw, all on
# 127.0.0.1, no auth inside the cluster. ../shared/TOOLCHAIN.md has the
# settings that were found to matter; they are marked below.
#
#   scripts/ceph-s3.sh start DIR RGW_PORT MON_PORT   # prints the S3 URL when S3 answers
#   scripts/ceph-s3.sh stop DIR                       # kills the daemons by their pids, removes DIR
#
# With CEPH_S3_WATCH_PID set, a watchdog stops the cluster once that process
# is gone, so a test run killed before its teardown leaves no daemons behind.
#
# Install: apt-get install -y radosgw ceph-common &&
#          apt-get install -y --no-install-recommends ceph-mon ceph-osd
set -euo pipefail

ACCESS_KEY=murmur-test
SECRET_KEY=murmur-test-secret

die() {
  echo "ceph-s3: $*" >&2
  exit 1
}

# Waits up to $1 seconds for the command after it to succeed (polls a condition; never a fixed sleep).
wait_for() {
  local limit=$1
  shift
  local deadline=$((SECONDS + limit))
  until "$@" >/dev/null 2>&1; do
    [ "$SECONDS" -lt "$deadline" ] || return 1
    sleep 0.2
  done
}

# As wait_for, but gives up at once when process $1 (the daemon that should answer) has ended.
wait_for_daemon() {
  local pid=$1 limit=$2
  shift 2
  local deadline=$((SECONDS + limit))
  until "$@" >/dev/null 2>&1; do
    [ "$SECONDS" -lt "$deadline" ] && ! gone "$pid" || return 1
    sleep 0.2
  done
}

# True when process $1 has ended: no such process, or a zombie (where nothing reaps orphans, as in some
# containers, a killed daemon stays one, and kill -0 would still find it).
gone() {
  local state
  state=$(ps -o stat= -p "$1") || return 0
  [[ $state == Z* ]]
}

start() {
  local dir=$1 rgw_port=$2 mon_port=$3
  [ ! -e "$dir/pids" ] || die "$dir already holds a cluster; stop it first"
  local install='apt-get install -y radosgw ceph-common && apt-get install -y --no-install-recommends ceph-mon ceph-osd'
  for tool in ceph-mon ceph-osd radosgw radosgw-admin monmaptool ceph; do
    command -v "$tool" >/dev/null || die "$tool is missing. Install Ceph: $install"
  done
  command -v curl >/dev/null || die "curl is missing (it asks radosgw whether it answers): apt-get install -y curl"
  # A start that fails half-way kills what it started (the log is lost with it; the message quotes it).
  trap "stop '$dir' >/dev/null 2>&1" EXIT
  mkdir -p "$dir/run" "$dir/log" "$dir/mon" "$dir/osd" "$dir/rgw"
  local conf=$dir/ceph.conf fsid
  fsid=$(cat /proc/sys/kernel/random/uuid)
  cat >"$conf" <<EOF
[global]
fsid = $fsid
mon host = v2:127.0.0.1:$mon_port
public addr = 127.0.0.1
auth cluster required = none
auth service required = none
auth client required = none
# msgr2 only, with the mon on a v2 address (TOOLCHAIN.md).
ms bind msgr1 = false
ms bind msgr2 = true
# Without these the clients (radosgw, the ceph CLI) fail to reach the mon when auth is none (TOOLCHAIN.md).
ms mon client mode = crc secure
ms client mode = crc secure
run dir = $dir/run
admin socket = $dir/run/\$name.asok
pid file = $dir/run/\$name.pid
log file = $dir/log/\$name.log
keyring = /dev/null
osd pool default size = 1
osd pool default min size = 1
osd pool default pg num = 8
osd pool default pgp num = 8
osd pool default pg autoscale mode = off
mon max pg per osd = 1000
mon allow pool size one = true
osd crush chooseleaf type = 0
mon warn on pool no redundancy = false

[mon.a]
mon data = $dir/mon

[osd.0]
osd data = $dir/osd
osd objectstore = memstore
memstore device bytes = 2147483648

[client.rgw]
rgw data = $dir/rgw
# tcp_nodelay: without it every small request waits on Nagle and delayed ACKs (TOOLCHAIN.md).
rgw frontends = beast endpoint=127.0.0.1:$rgw_port tcp_nodelay=1
rgw dns name = 127.0.0.1
EOF
  monmaptool --create --fsid "$fsid" --addv a "[v2:127.0.0.1:$mon_port]" "$dir/monmap" >/dev/null
  ceph-mon -c "$conf" -i a --mkfs --monmap "$dir/monmap" >"$dir/log/mkfs-mon.out" 2>&1 ||
    die "ceph-mon --mkfs failed: $(tail -5 "$dir/log/mkfs-mon.out")"
  setsid ceph-mon -c "$conf" -i a -f >"$dir/log/mon.out" 2>&1 </dev/null &
  local mon_pid=$!
  echo "$mon_pid" >"$dir/pids"
  if [ -n "${CEPH_S3_WATCH_PID:-}" ]; then
    # Polls once a second: a watchdog for a crash, not a wait any test sits in.
    setsid bash -c 'while kill -0 "$1" 2>/dev/null && [ -f "$2/pids" ]; do sleep 1; done; "$3" stop "$2"' \
      _ "$CEPH_S3_WATCH_PID" "$dir" "$(realpath "$0")" </dev/null >/dev/null 2>&1 &
  fi
  wait_for_daemon "$mon_pid" 30 timeout 5 ceph -c "$conf" mon stat ||
    die "the mon did not answer: $(tail -5 "$dir/log/mon.out")"

  local osd_uuid osd_id
  osd_uuid=$(cat /proc/sys/kernel/random/uuid)
  osd_id=$(ceph -c "$conf" osd new "$osd_uuid")
  [ "$osd_id" = 0 ] || die "expected osd.0, got '$osd_id'"
  ceph-osd -c "$conf" -i 0 --mkfs --osd-uuid "$osd_uuid" >"$dir/log/mkfs-osd.out" 2>&1 ||
    die "ceph-osd --mkfs failed: $(tail -5 "$dir/log/mkfs-osd.out")"
  setsid ceph-osd -c "$conf" -i 0 -f >"$dir/log/osd.out" 2>&1 </dev/null &
  echo $! >>"$dir/pids"

  setsid radosgw -c "$conf" -n client.rgw -f >"$dir/log/rgw.out" 2>&1 </dev/null &
  local rgw_pid=$!
  echo "$rgw_pid" >>"$dir/pids"
  # Any HTTP answer from radosgw (an anonymous request gets an S3 error document) means it is serving.
  wait_for_daemon "$rgw_pid" 90 curl -s -o /dev/null "http://127.0.0.1:$rgw_port/" ||
    die "radosgw did not answer on 127.0.0.1:$rgw_port: $(tail -5 "$dir/log/rgw.out")"
  radosgw-admin -c "$conf" user create --uid=murmur --display-name=murmur \
    --access-key="$ACCESS_KEY" --secret-key="$SECRET_KEY" >"$dir/log/user.out" 2>&1 ||
    die "radosgw-admin user create failed: $(tail -5 "$dir/log/user.out")"
  trap - EXIT
  echo "s3+http://$ACCESS_KEY:$SECRET_KEY@127.0.0.1:$rgw_port/?region=default"
}

stop() {
  local dir=$1 pid
  if [ -f "$dir/pids" ]; then
    # SIGKILL: the cluster is thrown away (its OSD keeps everything in memory), and a clean stop takes ~5 s
    # (radosgw, the OSD and the mon one after another, or the first two hang on the stopped mon).
    for pid in $(cat "$dir/pids"); do kill -KILL "$pid" 2>/dev/null || true; done
    for pid in $(cat "$dir/pids"); do wait_for 10 gone "$pid" || die "pid $pid outlived SIGKILL"; done
  fi
  rm -rf "$dir"
}

case "${1:-}" in
start)
  [ $# -eq 4 ] || die "usage: $0 start DIR RGW_PORT MON_PORT"
  start "$2" "$3" "$4"
  ;;
stop)
  [ $# -eq 2 ] || die "usage: $0 stop DIR"
  stop "$2"
  ;;
*) die "usage: $0 start DIR RGW_PORT MON_PORT | stop DIR" ;;
esac
