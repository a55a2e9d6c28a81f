# Applied to the guests' /usr/lib/ocf/resource.d/heartbeat/portblock (resource-agents 4.12,
# Debian bookworm). bookworm's iptables 1.8.9 lists rules with protocol numbers ("DROP 6 --",
# netfilter bug 1729, fixed in 1.8.10), but portblock looks for its DROP rule as "DROP tcp --":
# action=unblock never finds it, so it never removes it, and the service stays unreachable. This
# makes the match take the number too, as resource-agents 4.14 does. `cairn gateway
# check-health` reports hosts that have this problem.
s/^  echo "^DROP\${w}\${1}\${w}--/  case "$1" in tcp) p='\\(tcp\\|6\\)';; udp) p='\\(udp\\|17\\)';; *) p=$1;; esac\
  echo "^DROP${w}${p}${w}--/
