# kernfs-free: build, test and export the series.  `make help` lists goals.
SHELL := /bin/bash
S := scripts

.PHONY: help demo check deps tree export kunit kunit-lockdep scenarios lint \
	bisect bad-variants clean

help:
	@echo "demo           main job: install, apply, build, run the suites (README)"
	@echo "check          every test and check; ends with 'N passed, N failed'"
	@echo "deps           apt-get install what the build needs (pinned linux-source)"
	@echo "tree           unpack and import the base, apply patches/ (build/linux)"
	@echo "export         write the tree's commits back to patches/"
	@echo "kunit          KUnit suites, ARCH=um, KASAN config"
	@echo "kunit-lockdep  KUnit suites, ARCH=um, lockdep config"
	@echo "scenarios      boot the KASAN UML kernel with scenarios/*.c as init"
	@echo "lint           checkpatch, sparse, W=1, kernel-doc, coccinelle (new findings)"
	@echo "bisect         every prefix of the series builds and passes its suites"
	@echo "bad-variants   each tests/bad/*.patch turns the suites red"
	@echo "clean          remove build/"

demo:
	@$(S)/demo.sh

check:
	@$(S)/check.sh

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

scenarios: tree
	@$(S)/uml-scenarios.sh

lint: tree
	@[ -f build/kunit-kasan/.config ] || $(S)/kunit.sh kasan
	@$(S)/lint.sh

bisect: tree
	@$(S)/bisect-check.sh

bad-variants: tree
	@$(S)/bad-variants.sh $(VARIANTS)

clean:
	rm -rf build
