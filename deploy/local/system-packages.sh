#!/usr/bin/env bash
# Installs the Debian packages the tests drive real clients with, when they are missing:
#   chromium (pages are checked in a real headless browser), python3-requests (the specs' python snippets
#   run unchanged against the stack), python3-requests-oauthlib (an OAuth 1.0a client we did not write) and
#   ncbi-blast+ (the typing engine's answers are checked against blastn's, and benchmarked against it). Idempotent; needs root (or sudo) only to install.
set -euo pipefail
missing=()
command -v chromium >/dev/null || missing+=(chromium)
/usr/bin/python3 -c 'import requests' 2>/dev/null || missing+=(python3-requests)
/usr/bin/python3 -c 'import requests_oauthlib' 2>/dev/null || missing+=(python3-requests-oauthlib)
command -v curl >/dev/null || missing+=(curl)
command -v blastn >/dev/null && command -v makeblastdb >/dev/null || missing+=(ncbi-blast+)
[ ${#missing[@]} -eq 0 ] && exit 0
echo "system-packages: installing ${missing[*]}" >&2
sudo=; [ "$(id -u)" -eq 0 ] || sudo=sudo
$sudo apt-get update -qq
DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >&2
