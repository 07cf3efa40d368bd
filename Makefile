# kernfs-free: build, test and export the series.  `make help` lists goals.
SHELL := /bin/bash
S := scripts

.PHONY: help demo check check-6.12 check-6.1 deps tree export kunit kunit-lockdep kunit-smp scenarios \
	scenarios-uml scenarios-qemu stress bench lint apply-check bisect bad-variants \
	reproduce stable-check kcsan matrix clean

help:
	@echo "demo           main job: install, apply, build, run the suites (README)"
	@echo "check          every test and check of both bases; ends with 'N passed, N failed'"
	@echo "check-6.12     ... of the series on 6.12 only (patches/, build/linux)"
	@echo "check-6.1      ... of its 6.1 backport only (patches-6.1/, build/linux-6.1)"
	@echo "deps           apt-get install what the build needs (pinned linux-source)"
	@echo "tree           unpack and import the base, apply patches/ (build/linux)"
	@echo "export         write the tree's commits back to patches/"
	@echo "kunit          KUnit suites, ARCH=um, KASAN config"
	@echo "kunit-lockdep  KUnit suites, ARCH=um, lockdep config (not in check)"
	@echo "kunit-smp      KUnit suites, x86_64 under qemu -smp 2, KASAN + lockdep + debugobjects"
	@echo "scenarios      scenarios/*.c as init of the UML and the qemu -smp 2 kernel"
	@echo "scenarios-uml  ... of the KASAN UML kernel only (about a minute)"
	@echo "scenarios-qemu ... of the x86_64 KASAN+lockdep+debugobjects kernel, qemu -smp 2 only"
	@echo "stress         the stress scenario on both (STRESS_ITERATIONS=N)"
	@echo "bench          base, patches 1-3, series under qemu -icount: build/results/bench.md"
	@echo "lint           checkpatch, sparse, W=1, kernel-doc, coccinelle (new findings)"
	@echo "apply-check    git am and quilt push -a on a fresh base, re-export, get_maintainer"
	@echo "bisect         every prefix of the series builds and passes its suites"
	@echo "bad-variants   each tests/bad/*.patch goes red where its Red-in: lines say"
	@echo "reproduce      the pressure_write() race on base and fixed 6.12 and 6.1 kernels"
	@echo "kcsan          suites, stress and rmdir_poll under KCSAN on qemu -smp 2 (not in check)"
	@echo "matrix         the series on every linux-source-6.12 version of the archive (not in check)"
	@echo "stable-check   the 6.1 stable fix: applies, lints, race reproducer clean"
	@echo "               (BASE=6.1 with tree, kunit*, scenarios*, lint, apply-check, bad-variants,"
	@echo "               bench, export: the 6.1 backport, patches-6.1/ in build/linux-6.1)"
	@echo "clean          remove build/"

demo:
	@$(S)/demo.sh

check:
	@$(S)/check.sh

check-6.12:
	@$(S)/check.sh 6.12

check-6.1:
	@$(S)/check.sh 6.1

deps:
	@$(S)/install-deps.sh

tree: deps
	@$(S)/prepare-tree.sh

export:
	@$(S)/export-series.sh

kunit: tree
	@$(S)/kunit.sh kasan

kunit-lockdep: tree
	@$(S)/kunit.sh lockdep

kunit-smp: tree
	@KUNIT_EXTRA=--kernel_args=panic_on_warn=1 $(S)/kunit.sh smp

scenarios: scenarios-uml scenarios-qemu

scenarios-uml: tree
	@$(S)/scenarios.sh uml

scenarios-qemu: tree
	@$(S)/scenarios.sh qemu

stress: tree
	@$(S)/scenarios.sh uml stress
	@$(S)/scenarios.sh qemu stress

bench: tree
	@$(S)/bench.sh

lint: tree
	@$(S)/lint.sh

apply-check: tree
	@$(S)/apply-check.sh

kcsan: tree
	@$(S)/kcsan.sh

matrix: deps
	@$(S)/matrix.sh $(VERSIONS)

bisect: tree
	@$(S)/bisect-check.sh

bad-variants: tree
	@$(S)/bad-variants.sh $(VARIANTS)

reproduce: tree
	@$(S)/reproduce.sh $(BASES)

stable-check:
	@$(S)/stable-check.sh 6.1

clean:
	rm -rf build
