#!/usr/bin/env bash
# A throwaway Postfix instance on loopback for `npm run bench`: the alternative Aster is measured
# against, a virtual alias map that forwards every recipient under notify.localhost to one address,
# relayed to the bench's SMTP sink. Everything (config_directory, queue_directory, data_directory,
# log) lives under the directory given; the machine's own Postfix configuration (/etc/postfix/main.cf,
# if there is one) is never read or written, and nothing listens beyond 127.0.0.1.
#
#   scripts/postfix-bench.sh start <dir> <listen-port> <sink-port> [forward-to]
#   scripts/postfix-bench.sh stop  <dir>          (stops the instance and deletes <dir>)
#
# Needs root (postfix(1) is reserved for the superuser) and Debian's postfix package, installed
# without configuration:
#   echo "postfix postfix/main_mailer_type select No configuration" | debconf-set-selections
#   DEBIAN_FRONTEND=noninteractive apt-get install -y postfix
set -euo pipefail

cmd=${1:-}
dir=${2:-}
[[ -n "$cmd" && -n "$dir" ]] || { echo "usage: $0 start <dir> <listen-port> <sink-port> [forward-to] | stop <dir>" >&2; exit 2; }
command -v postfix >/dev/null || { echo "postfix is not installed (apt-get install postfix, 'No configuration')" >&2; exit 3; }

case "$cmd" in
start)
  port=${3:?listen port}
  sink=${4:?sink port}
  forward_to=${5:-contact@client-bench.test}
  mkdir -p "$dir/etc" "$dir/queue" "$dir/data"
  # Postfix daemons run as the postfix user and must traverse to the queue.
  chmod 755 "$dir" "$dir/etc"
  chown postfix "$dir/data"
  if ! runuser -u postfix -- test -x "$dir/data"; then
    echo "the postfix user cannot reach $dir (make its parent directories traversable, e.g. chmod 755)" >&2
    exit 1
  fi

  cat > "$dir/etc/main.cf" <<CONF
# Throwaway bench instance; see scripts/postfix-bench.sh.
compatibility_level = 3.6
queue_directory = $dir/queue
data_directory = $dir/data
mail_owner = postfix
setgid_group = postdrop
myhostname = postfix-bench.localhost
mydomain = localhost
myorigin = \$myhostname
mydestination =
inet_interfaces = 127.0.0.1
inet_protocols = ipv4
mynetworks = 127.0.0.0/8
smtpd_relay_restrictions = permit_mynetworks, reject_unauth_destination
# The alternative to Aster: every address under the mail domain forwards to one contact.
virtual_alias_domains = notify.localhost
virtual_alias_maps = regexp:$dir/etc/virtual
relayhost = [127.0.0.1]:$sink
smtp_dns_support_level = disabled
alias_maps =
alias_database =
local_recipient_maps =
smtpd_tls_security_level = none
smtp_tls_security_level = none
smtputf8_enable = no
biff = no
message_size_limit = 52428800
smtpd_banner = \$myhostname ESMTP Postfix (bench)
maillog_file = $dir/maillog
maillog_file_prefixes = $dir
CONF

  cat > "$dir/etc/virtual" <<MAP
/@notify\.localhost\$/ $forward_to
MAP

  # Debian's master.cf with every service out of chroot (no chroot tree to build) and smtpd on the
  # bench port only.
  cat > "$dir/etc/master.cf" <<CONF
127.0.0.1:$port inet n -   n   -   -   smtpd
pickup    unix  n   -   n   60  1   pickup
cleanup   unix  n   -   n   -   0   cleanup
qmgr      unix  n   -   n   300 1   qmgr
rewrite   unix  -   -   n   -   -   trivial-rewrite
bounce    unix  -   -   n   -   0   bounce
defer     unix  -   -   n   -   0   bounce
trace     unix  -   -   n   -   0   bounce
verify    unix  -   -   n   -   1   verify
flush     unix  n   -   n   1000? 0 flush
proxymap  unix  -   -   n   -   -   proxymap
proxywrite unix -   -   n   -   1   proxymap
smtp      unix  -   -   n   -   -   smtp
relay     unix  -   -   n   -   -   smtp
showq     unix  n   -   n   -   -   showq
error     unix  -   -   n   -   -   error
retry     unix  -   -   n   -   -   error
discard   unix  -   -   n   -   -   discard
local     unix  -   n   n   -   -   local
virtual   unix  -   n   n   -   -   virtual
lmtp      unix  -   -   n   -   -   lmtp
anvil     unix  -   -   n   -   1   anvil
scache    unix  -   -   n   -   1   scache
postlog   unix-dgram n - n  -   1   postlogd
CONF

  postfix -c "$dir/etc" check
  postfix -c "$dir/etc" start
  # Wait for the listener.
  for _ in $(seq 1 100); do
    if (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then exit 0; fi
    sleep 0.1
  done
  echo "postfix did not start listening on 127.0.0.1:$port; see $dir/maillog" >&2
  exit 1
  ;;
stop)
  if [[ -f "$dir/etc/main.cf" ]]; then
    postfix -c "$dir/etc" stop >/dev/null 2>&1 || postfix -c "$dir/etc" abort >/dev/null 2>&1 || true
    # master waits for its children; give it a moment before the files go.
    for _ in $(seq 1 50); do
      [[ -f "$dir/queue/pid/master.pid" ]] && kill -0 "$(tr -d ' ' < "$dir/queue/pid/master.pid")" 2>/dev/null || break
      sleep 0.1
    done
  fi
  rm -rf "$dir"
  ;;
*)
  echo "unknown command: $cmd" >&2
  exit 2
  ;;
esac
