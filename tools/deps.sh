#!/usr/bin/env bash
# Installs the Debian 12 packages (and the tests' npm packages) needed to build, run, test or benchmark the CRM.
#
# Usage: tools/deps.sh [build|run|test|bench]   (default: run; build and run need the same packages)
# Fast when everything is present.  As root it runs apt-get itself; otherwise it prints the
# command to run and exits 1.
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
mode=${1:-run}

build=(build-essential pkg-config libfcgi-dev libfcgi-bin spawn-fcgi clearsilver-dev zlib1g-dev
	libmariadb-dev mariadb-server mariadb-client libcurl4-openssl-dev libsodium-dev libjson-c-dev
	nginx apache2 libapache2-mod-fcgid python3-aiosmtpd curl)
wanted=("${build[@]}")
case $mode in
build | run) ;;
test)
	# procps: pgrep, used by the integration tests
	wanted+=(chromium valgrind procps)
	# clang + libclang-rt-14-dev: the libFuzzer harnesses of tests/fuzz (the runtime is only a Recommends of clang)
	wanted+=(clang libclang-rt-14-dev)
	# wrk + gnuplot-nox: the quick run of make bench in the bench suite
	wanted+=(wrk gnuplot-nox)
	# a node from elsewhere (e.g. NodeSource) brings its own npm and conflicts with Debian's
	command -v node >/dev/null 2>&1 || wanted+=(nodejs npm)
	;;
bench) wanted+=(wrk gnuplot-nox) ;;
*)
	echo "usage: $0 [build|run|test|bench]" >&2
	exit 2
	;;
esac

# one dpkg-query for all (unknown names are left out of its output)
declare -A ok=()
while read -r name status; do
	[[ "$status" == ii ]] && ok[$name]=1
done < <(dpkg-query -W -f='${Package} ${db:Status-Abbrev}\n' "${wanted[@]}" 2>/dev/null || true)
missing=()
for p in "${wanted[@]}"; do
	[[ -n "${ok[$p]:-}" ]] || missing+=("$p")
done

if ((${#missing[@]})); then
	install=(apt-get -o DPkg::Lock::Timeout=600 install -y --no-install-recommends "${missing[@]}")
	if [[ $EUID -ne 0 ]]; then
		echo "deps: missing Debian packages: ${missing[*]}" >&2
		echo "deps: install them with:" >&2
		echo "  sudo apt-get update && sudo DEBIAN_FRONTEND=noninteractive ${install[*]}" >&2
		exit 1
	fi
	echo "deps: installing ${missing[*]}" >&2
	apt-get -o DPkg::Lock::Timeout=600 update -qq
	DEBIAN_FRONTEND=noninteractive "${install[@]}"
fi

if [[ $mode == test ]]; then
	tests=$ROOT/tests
	if [[ ! -f "$tests/package.json" ]]; then
		echo "deps: $tests/package.json not found: skipping the npm packages" >&2
	elif [[ ! -d "$tests/node_modules/playwright-core" ||
		"$tests/package-lock.json" -nt "$tests/node_modules/.package-lock.json" ]]; then
		command -v npm >/dev/null 2>&1 || {
			echo "deps: npm not found (node is $(command -v node)); install npm to get the test packages" >&2
			exit 1
		}
		echo "deps: installing the npm packages of tests/" >&2
		# never "npx playwright install": the tests use Debian's chromium
		export PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1
		if [[ -f "$tests/package-lock.json" ]]; then
			(cd "$tests" && npm ci --no-audit --no-fund)
		else
			(cd "$tests" && npm install --no-audit --no-fund)
		fi
		[[ -d "$tests/node_modules/playwright-core" ]] ||
			{ echo "deps: tests/node_modules/playwright-core still missing after npm" >&2; exit 1; }
	fi
fi
