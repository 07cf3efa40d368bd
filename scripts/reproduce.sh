#!/usr/bin/env bash
# The pressure_write() use-after-free, reproduced and fixed: for each base,
# boot scenarios/pressure_write_race.c as init of the base kernel and of the
# base with the stable fix alone (the first patch of the base's patches), on
# the KASAN UML kernel and on the x86_64 KASAN+lockdep kernel under qemu -smp
# 2.  A base kernel must report (KASAN, the leak WARN: the kernel taints) in
# the privileged races (rt/*); whether the unprivileged one (avg/hide) gets
# a report is noted, not counted.  The fixed kernel must stay clean in all.
#   scripts/reproduce.sh [BASE...]   (default: 6.12 6.1; PATHS="uml qemu")
# Each base uses a worktree build/repro[-BASE] of its tree, switched between
# the two commits, so that the kernels rebuild only what the fix changes.
# Writes build/results/reproduce.md; ends with 'N passed, N failed'.
set -euo pipefail
. "$(dirname "$0")/common.sh"

bases=("$@")
[ ${#bases[@]} -gt 0 ] || bases=(6.12 6.1)
read -r -a paths <<< "${PATHS:-uml qemu}"
races=(rt/rmdir rt/hide avg/hide)
out=$BUILD/results
mkdir -p "$out"
table=$out/reproduce.md
passed=0 failed=0
rows=()

result() { # result 0|1 TEXT
	if [ "$1" -eq 0 ]; then
		passed=$((passed + 1)); echo "ok   reproduce: $2"
	else
		failed=$((failed + 1)); echo "FAIL reproduce: $2"
	fi
}

# boot B REV PATH KERNEL RACE: one boot; prints the tally file.
boot() {
	local name="repro$4-$1-$2-${3//\//_}"
	RESULT=$name KERNEL=$5 RACE=$3 "$TOP/scripts/scenarios.sh" "$4" pressure_write_race \
		> /dev/null 2>&1 || true
	echo "$out/$name-pressure_write_race.tally"
}

for b in "${bases[@]}"; do
	BASE=$b "$TOP/scripts/install-deps.sh" >&2
	BASE=$b "$TOP/scripts/prepare-tree.sh" >&2
	sfx=; [ "$b" = 6.12 ] || sfx=-$b
	tree=$BUILD/linux$sfx
	wt=$BUILD/repro$sfx
	fix=$(git -C "$tree" rev-list --reverse base..HEAD | head -n1)
	[ -n "$fix" ] || die "no patch on the $b base"
	[ -e "$wt/.git" ] || { rm -rf "$wt"; git -C "$tree" worktree prune;
		git -C "$tree" worktree add -q --detach "$wt" base; }
	for rev in base fix; do
		commit=base; [ "$rev" = base ] || commit=$fix
		git -C "$wt" checkout -q --detach -f "$commit"
		git -C "$wt" clean -q -fdx
		for p in "${paths[@]}"; do
			if [ "$p" = uml ]; then
				kernel=$BUILD/kunit-repro$sfx/linux
				BASE=$b TREE=$wt KUNIT_BUILD_DIR=$BUILD/kunit-repro$sfx \
					RESULT_NAME=kunit-repro$sfx QUIET=1 \
					timed "$b $rev: UML KASAN kernel" "$TOP/scripts/kunit.sh" kasan \
					> /dev/null || die "$b $rev: the UML kernel did not build"
			else
				kernel=$BUILD/x86-repro$sfx/arch/x86/boot/bzImage
				BASE=$b "$TOP/scripts/x86-kernel.sh" repro "$wt" x86_64 x86_64-debug \
					> /dev/null
			fi
			if [ "$rev" = base ]; then
				# The taint stays: one boot per race.
				for r in "${races[@]}"; do
					t=$(BASE=$b boot "$b" "$rev" "$r" "$p" "$kernel")
					n= rep=
					if [ -f "$t" ]; then
						n=$(sed -n 's/.*kernel tainted.* after \([0-9]*\) iterations.*/\1/p' "$t")
						rep=$(sed -n 's/.*kernel log has .* first: \(\[ *[0-9.]*\] \)\?//p' "$t" | cut -c1-80)
					fi
					if [ -n "$n" ]; then
						what="report after $n iterations: ${rep:-taint only}"
					else
						what="no report"
					fi
					rows+=("| $b | base | $p | $r | $what |")
					if [ "$r" = avg/hide ]; then
						# Whether an unprivileged writer gets there is what
						# this race finds out: said, not counted.
						echo "note reproduce: $b base, $p, $r: $what"
					elif [ -n "$n" ]; then
						result 0 "$b base, $p, $r: $what"
					else
						result 1 "$b base, $p, $r: no report (see ${t#"$TOP"/})"
					fi
				done
			else
				t=$(BASE=$b boot "$b" "$rev" all "$p" "$kernel")
				rc=0
				[ -f "$t" ] && ! grep -q '^FAIL' "$t" || rc=1
				result "$rc" "$b fix, $p: $(grep -c '^ok' "$t" 2>/dev/null || true) checks passed, $(grep -c '^FAIL' "$t" 2>/dev/null || true) failed"
				while IFS= read -r line; do
					rows+=("| $b | fix | $p | ${line%%:*} | ${line#*: } |")
				done < <(sed -n 's/^\(ok  \|FAIL\) [a-z]*: pressure_write_race: \([a-z]*\/[a-z]*: .*\)/\2/p' "$t" 2>/dev/null || true)
				{ grep '^FAIL' "$t" 2>/dev/null || true; } | head -n 3 | sed 's/^/     /'
			fi
		done
	done
done

{
	echo "# pressure_write() race: base kernels against the stable fix"
	echo
	echo "scripts/reproduce.sh ${bases[*]} on $(date -u +%Y-%m-%d), paths: ${paths[*]}."
	echo "Each row is one boot of scenarios/pressure_write_race.c as init (one per race"
	echo "on base kernels, as a taint stays; all races in one boot with the fix)."
	echo "uml: ARCH=um, KASAN; qemu: x86_64, KASAN + lockdep + debugobjects + kmemleak, -smp 2 (TCG)."
	echo
	echo "| base | kernel | path | race | result |"
	echo "|---|---|---|---|---|"
	printf '%s\n' "${rows[@]}"
} > "$table"
log "table in ${table#"$TOP"/}"
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
