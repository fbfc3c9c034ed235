# aioctl: build, install system-wide, regenerate the docs, run the tests.
#
#   make install [PREFIX=/usr/local] [DESTDIR=] [BINARY=path]
#   make uninstall [PREFIX=/usr/local] [DESTDIR=]
#   make docs     regenerate man/aioctl.1 and completions/ (scripts/generate-docs)
#   make test     run the test suite (scripts/test, or swift test)

PREFIX ?= /usr/local
DESTDIR ?=
SWIFT ?= swift
INSTALL ?= install
# SwiftPM's build directory (Benchmarks/run builds in its own).
SCRATCH_PATH ?= .build
# A fully static executable: the Swift runtime, libaio, libedit and glibc go
# into the binary, so the installed aioctl runs on a machine without a Swift
# toolchain, and starts in half the time (no dynamic loader, no relocations
# of a 35 MB binary at every start: scripts run aioctl hundreds of times).
SWIFT_BUILD_FLAGS ?= -c release --static-swift-stdlib -Xswiftc -static-executable
# The aioctl binary install copies. Empty: the one `make build` makes, built
# first. A packager who built it already (or the test suite, with its own)
# names it, and nothing is built.
BINARY ?=

bindir = $(PREFIX)/bin
man1dir = $(PREFIX)/share/man/man1
bashcompletiondir = $(PREFIX)/share/bash-completion/completions
zshcompletiondir = $(PREFIX)/share/zsh/site-functions
fishcompletiondir = $(PREFIX)/share/fish/vendor_completions.d

.PHONY: all build install uninstall docs test

all: build

build:
	$(SWIFT) build $(SWIFT_BUILD_FLAGS) --scratch-path '$(SCRATCH_PATH)' --product aioctl

install: $(if $(BINARY),,build)
	$(INSTALL) -d '$(DESTDIR)$(bindir)' '$(DESTDIR)$(man1dir)' '$(DESTDIR)$(bashcompletiondir)' \
		'$(DESTDIR)$(zshcompletiondir)' '$(DESTDIR)$(fishcompletiondir)'
	$(INSTALL) -m 755 $(if $(BINARY),'$(BINARY)',"$$($(SWIFT) build $(SWIFT_BUILD_FLAGS) --scratch-path '$(SCRATCH_PATH)' --show-bin-path)/aioctl") \
		'$(DESTDIR)$(bindir)/aioctl'
	$(INSTALL) -m 644 man/aioctl.1 '$(DESTDIR)$(man1dir)/aioctl.1'
	$(INSTALL) -m 644 completions/aioctl.bash '$(DESTDIR)$(bashcompletiondir)/aioctl'
	$(INSTALL) -m 644 completions/_aioctl '$(DESTDIR)$(zshcompletiondir)/_aioctl'
	$(INSTALL) -m 644 completions/aioctl.fish '$(DESTDIR)$(fishcompletiondir)/aioctl.fish'

# Exactly the files install puts down; the directories may be shared.
uninstall:
	rm -f '$(DESTDIR)$(bindir)/aioctl' \
		'$(DESTDIR)$(man1dir)/aioctl.1' \
		'$(DESTDIR)$(bashcompletiondir)/aioctl' \
		'$(DESTDIR)$(zshcompletiondir)/_aioctl' \
		'$(DESTDIR)$(fishcompletiondir)/aioctl.fish'

docs:
	scripts/generate-docs

test:
	@if [ -x scripts/test ]; then scripts/test; else $(SWIFT) test; fi
