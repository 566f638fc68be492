#!/bin/sh
# The quick start's run command: build/harrier watching this machine live
# with the default configuration (config/harrier.yaml) and rules
# (rules/harrier_rules.yaml), for HARRIER_SECONDS seconds (default 30; 0 =
# until Ctrl-C). A few seconds in, it reads /etc/shadow with cat, which the
# default rules alert on, so that the run shows an alert; then it prints
# Falco's end-of-run summary.
set -e
cd "$(dirname "$0")/.."
seconds=${HARRIER_SECONDS:-30}
if [ "$(id -u)" != 0 ]; then
	echo "quickstart: live capture needs root (the eBPF probe); run 'make run' as root" >&2
	exit 3
fi
if [ "$seconds" = 0 ]; then
	echo "quickstart: build/harrier, live, with config/harrier.yaml (Ctrl-C to stop)" >&2
	exec build/harrier -c config/harrier.yaml
fi
echo "quickstart: build/harrier -M $seconds, live, with config/harrier.yaml (Ctrl-C stops it earlier)" >&2
(sleep 3 && echo "quickstart: now reading /etc/shadow with cat (an alert of the default rules)" >&2 &&
	cat /etc/shadow >/dev/null) &
exec build/harrier -c config/harrier.yaml -M "$seconds"
