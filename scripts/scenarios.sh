#!/usr/bin/env bash
# Boot a patched kernel once per scenario program, the program (built
# static) as init, and tally its checks and the scan of the kernel log.
#   scripts/scenarios.sh uml|qemu [PROGRAM...]   (default: every scenarios/*.c)
# uml:  the KASAN KUnit build (ARCH=um, tests disabled), a host directory as
#       root (hostfs); about a second per boot, uniprocessor.
# qemu: an x86_64 build of configs/x86_64 + x86_64-debug (KASAN, lockdep,
#       debugobjects, kmemleak, hung tasks), with the KUnit suites built in but off (the
#       build make kunit-smp runs), under qemu-system-x86_64 -smp 2 (TCG), the
#       program as /init of an initramfs; SMP, so grace periods and races
#       are real.
# Prints "ok"/"FAIL" lines and "N passed, N failed".  KERNEL boots another
# kernel (scripts/bad-variants.sh), RESULT names the logs in build/results/,
# STRESS_ITERATIONS sets the stress program's mkdir/rmdir count (default:
# 20,000 on uml, 10-20 s there; 4,000 on qemu, as KASAN, lockdep and
# debugobjects under TCG make an iteration some 30 times as slow: 5,000 took
# 140 to 197 s on one machine in one day, and 10,000 ran into the program's
# 300 s watchdog).
# UML_TIMEOUT bounds a UML boot (default 900 s).
# RACE_ITERATIONS, RACE_SECONDS and RACE bound pressure_write_race's races
# (default: 2,000 iterations or 15 s per race on uml, 600 or 30 s on qemu;
# every race).  BASE=6.1 boots the 6.1 tree's kernels.
set -euo pipefail
. "$(dirname "$0")/common.sh"

mode=${1:-}
shift || true
tree_lock shared
out=$BUILD/results
root=$BUILD/$mode-root
result=${RESULT:-$mode$SFX}
case $mode in
uml)
	kernel=${KERNEL:-$BUILD/kunit-kasan$SFX/linux}
	# Never a kernel of an older series: rebuild (and run the suites)
	# unless the KASAN build is of the tree as it is now.
	[ -n "${KERNEL:-}" ] || kunit_build_current kasan
	[ -x "$kernel" ] || die "no kernel $kernel" ;;
qemu)
	kernel=${KERNEL:-$BUILD/x86-debug$SFX/arch/x86/boot/bzImage}
	# With the suites built in, dormant: make kunit-smp uses this build.
	if [ -z "${KERNEL:-}" ]; then
		kfrag=$(x86_kunit_fragment "$TREE")
		"$TOP/scripts/x86-kernel.sh" debug series x86_64 x86_64-debug ${kfrag:+"$kfrag"}
	fi
	command -v qemu-system-x86_64 > /dev/null || die "qemu-system-x86_64 missing: make deps" ;;
*)	die "usage: $0 uml|qemu [PROGRAM...]" ;;
esac
mkdir -p "$root" "$out"
[ "$mode" = qemu ] || mkdir -p "$root/proc" "$root/sys" "$root/dev"

# UML cannot run user space on hosts with a large XSAVE area (AMX) without
# tools/um-xstate-shim.c: see there.
shim=$BUILD/um-xstate-shim.so
if [ "$mode" = uml ] && { [ ! -f "$shim" ] || [ "$TOP/tools/um-xstate-shim.c" -nt "$shim" ]; }; then
	gcc -shared -fPIC -O2 -Wall -Wextra -Werror -o "$shim" "$TOP/tools/um-xstate-shim.c" -ldl
fi

# boot_uml PROG ARGS...: hostfs root; the program powers UML off.
boot_uml() {
	local p=$1
	shift
	(cd "$root" && LD_PRELOAD=$shim timeout "${UML_TIMEOUT:-900}" "$kernel" mem=512M root=/dev/root rootfstype=hostfs \
		rootflags="$root" rw init="/$p" console=tty kunit.enable=0 -- "$@" \
		< /dev/null)
}

# boot_qemu PROG ARGS...: the program as /init of an initramfs.
boot_qemu() {
	local p=$1
	shift
	initramfs "$root/$p" "$root/$p.cpio"
	qemu_boot "$kernel" "$root/$p.cpio" "$*"
}

if [ $# -gt 0 ]; then
	progs=("$@")
else
	mapfile -t progs < <(cd "$TOP/scenarios" && ls ./*.c | sed 's|^\./||; s|\.c$||')
fi
passed=0 failed=0
for p in "${progs[@]}"; do
	static_prog "$TOP/scenarios/$p.c" "$root/$p"
	args=()
	case $p:$mode in
	stress:qemu)	args=("${STRESS_ITERATIONS:-4000}") ;;
	stress:uml)	args=("${STRESS_ITERATIONS:-20000}") ;;
	pressure_write_race:qemu)
		args=("${RACE_ITERATIONS:-600}" "${RACE_SECONDS:-30}" "${RACE:-all}") ;;
	pressure_write_race:uml)
		args=("${RACE_ITERATIONS:-2000}" "${RACE_SECONDS:-15}" "${RACE:-all}") ;;
	esac
	log="$out/$result-$p.log"
	start=$(date +%s)
	rc=0
	"boot_$mode" "$p" "${args[@]}" > "$log" 2>&1 || rc=$?
	python3 "$TOP/scripts/scenario-tally.py" "$mode" "$p" "$log" "$rc" \
		"$(( $(date +%s) - start ))" > "$out/$result-$p.tally"
	grep -v 'passed, .* failed$' "$out/$result-$p.tally"
	t=$(tail -n1 "$out/$result-$p.tally")
	passed=$((passed + ${t%% *}))
	t=${t#*, }
	failed=$((failed + ${t%% *}))
done
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
