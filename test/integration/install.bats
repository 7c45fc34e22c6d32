#!/usr/bin/env bats
# `cmake --install` of the build RT comes from, into a temporary prefix: the binaries, the
# man pages (rt(8) and one per command, made from --help) and the bash completion.

load helpers

setup() {
	requires_rt "installs rt's own build"
	BUILD=$(dirname "$RT")
	[ -f "$BUILD/CMakeCache.txt" ] || skip "RT=$RT is not in a cmake build directory"
	command -v cmake >/dev/null || skip "cmake is not installed"
	setup_rt
	PREFIX=$TEST_DIR/prefix
	cmake --install "$BUILD" --prefix "$PREFIX" >&2
}

teardown() {
	teardown_rt
}

# The commands `rt --help` lists (help aside).
commands() {
	"$RT" --help | awk '/^COMMANDS:/ { on = 1; next } /^[A-Z ]+:$/ { on = 0 }
		on && NF { sub(/,$/, "", $1); if ($1 != "help") print $1 }'
}

@test "install: binaries, nsinit under libexec, and the installed rt runs a container" {
	[ -x "$PREFIX/bin/rt" ]
	[ -x "$PREFIX/bin/rt-bootstrap-dump" ]
	[ -x "$PREFIX/libexec/rt/nsinit" ]
	# the installed rt finds the installed nsinit (not the build's)
	set_args sh -c 'echo installed'
	run env -u RT_NSINIT "$PREFIX/bin/rt" --root "$ROOT" run --bundle "$BUNDLE" "$ID"
	[ "$status" -eq 0 ]
	[ "$output" = installed ]
}

@test "install: rt(8) and a page per command, each the command's --help" {
	command -v man >/dev/null || skip "man (man-db) is not installed"
	local man8=$PREFIX/share/man/man8 c flag page
	[ -f "$man8/rt.8" ]
	run man -l "$man8/rt.8"
	[ "$status" -eq 0 ]
	[[ "$output" == *"Open Container Initiative runtime"* ]]
	for c in $(commands); do
		echo "# $c" >&2
		[ -f "$man8/rt-$c.8" ]
		page=$(MANWIDTH=200 man -l "$man8/rt-$c.8" 2>&1)
		# the description line and every flag of --help are on the page
		[[ "$page" == *"rt-$c - "* ]]
		for flag in $("$RT" "$c" --help | awk '/OPTIONS:$/ { on = 1; next } on && /^ +-/ { print $1 }' | tr -d ,); do
			[[ "$page" == *"$flag"* ]] || { echo "rt-$c.8 lacks $flag" >&2; return 1; }
		done
		[[ "$(MANWIDTH=200 man -l "$man8/rt.8")" == *"rt-$c(8)"* ]]
	done
	# no page for a command that does not exist
	[ "$(ls "$man8" | wc -l)" -eq $(($(commands | wc -l) + 1)) ]
}

# complete WORD...: what the installed completion offers for the command line WORD...
# (the last word is the one being completed).
complete_words() {
	bash -c 'source "$1"; shift; COMP_WORDS=("$@"); COMP_CWORD=$(($# - 1)); _rt; printf "%s\n" "${COMPREPLY[@]}"' \
		sh "$PREFIX/share/bash-completion/completions/rt" "$@"
}

@test "install: bash completion of commands, flags and container ids" {
	local f=$PREFIX/share/bash-completion/completions/rt
	[ -f "$f" ]
	bash -n "$f"
	[ "$(complete_words "$PREFIX/bin/rt" fe)" = features ]
	[ "$(complete_words "$PREFIX/bin/rt" st | tr '\n' ' ')" = "start state " ]
	[ "$(complete_words "$PREFIX/bin/rt" --ro)" = --root ]
	[ "$(complete_words "$PREFIX/bin/rt" exec --tt)" = --tty ]
	complete_words "$PREFIX/bin/rt" kill - | grep -qx -- --all
	# ids from `rt list` with the --root of the command line
	create_ctr "$ID" --pid-file "$TEST_DIR/pid"
	[ "$status" -eq 0 ]
	[ "$(complete_words "$PREFIX/bin/rt" --root "$ROOT" kill "${ID:0:5}")" = "$ID" ]
	# a flag that takes a value completes files
	[ "$(complete_words "$PREFIX/bin/rt" create --bundle "$BUNDLE/conf")" = "$BUNDLE/config.json" ]
}
