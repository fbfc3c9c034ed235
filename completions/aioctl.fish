function __aioctl_should_offer_completions_for_flags_or_options -a expected_commands
    set -l non_repeating_flags_or_options $argv[2..]
    set -l non_repeating_flags_or_options_absent 0
    set -l positional_index 0
    set -l commands
    __aioctl_parse_tokens
    test "$commands" = "$expected_commands"; and return $non_repeating_flags_or_options_absent
end

function __aioctl_should_offer_completions_for_positional -a expected_commands positional_index_comparison expected_positional_index
    set -l non_repeating_flags_or_options
    set -l non_repeating_flags_or_options_absent 0
    set -l positional_index 0
    set -l commands
    __aioctl_parse_tokens
    test "$commands" = "$expected_commands" -a \( "$positional_index" "$positional_index_comparison" "$expected_positional_index" \)
end

function __aioctl_parse_tokens -S
    set -l unparsed_tokens (__aioctl_tokens -pc)
    switch $unparsed_tokens[1]
    case 'aioctl'
        __aioctl_parse_subcommand 0 'version' 'h/help'
        switch $unparsed_tokens[1]
        case 'cancel'
            __aioctl_parse_subcommand 1 'poll' 'read' 'events=' 'length=' 'offset=' 'nowait' 'ready' 'after=' 'unblock=' 'reap-timeout=' 'nr-events=' 'count=' 'print-script' 'via=' 'expect=' 'json' 'q/quiet' 'color=' 'timeout=' 'version' 'h/help'
        case 'check'
            __aioctl_parse_subcommand 0 'via=' 'expect=' 'filter=' 'list' 'v/verbose' 'format=' 'json' 'q/quiet' 'jobs=' 'print-script=' 'color=' 'version' 'h/help'
        case 'spec'
            __aioctl_parse_subcommand -r 1 'json' 'kapi=+' 'color=' 'version' 'h/help'
        case 'review'
            __aioctl_parse_subcommand -r 1 'format=' 'json' 'q/quiet' 'jobs=' 'version' 'h/help'
        case 'run'
            __aioctl_parse_subcommand 1 'keep-going' 'via=' 'expect=' 'json' 'q/quiet' 'color=' 'timeout=' 'version' 'h/help'
        case 'shell'
            __aioctl_parse_subcommand 0 'keep-going' 'via=' 'expect=' 'json' 'q/quiet' 'color=' 'timeout=' 'version' 'h/help'
        case 'setup'
            __aioctl_parse_subcommand 1 'ctxp=' 'preset=' 'v/verbose' 'print-script' 'via=' 'expect=' 'json' 'q/quiet' 'color=' 'version' 'h/help'
        case 'submit'
            __aioctl_parse_subcommand 1 'op=' 'events=' 'length=' 'offset=' 'rw-flags=' 'reserved2=' 'nr=' 'copies=' 'ready' 'reap-timeout=' 'v/verbose' 'print-script' 'via=' 'expect=' 'json' 'q/quiet' 'color=' 'version' 'h/help'
        case 'getevents'
            __aioctl_parse_subcommand 0 'min=' 'max=' 'timeout=' 'events-pointer=' 'ready=' 'pending=' 'v/verbose' 'print-script' 'via=' 'expect=' 'json' 'q/quiet' 'color=' 'version' 'h/help'
        case 'destroy'
            __aioctl_parse_subcommand 0 'ctx=' 'pending-poll' 'v/verbose' 'print-script' 'via=' 'expect=' 'json' 'q/quiet' 'color=' 'version' 'h/help'
        case 'race'
            __aioctl_parse_subcommand 0 'target=' 'cancel-after=' 'ready-after=' 'sweep=' 'iterations=' 'duration=' 'reap-timeout=' 'plot=' 'via=' 'json' 'q/quiet' 'color=' 'version' 'h/help'
        case 'bench'
            __aioctl_parse_subcommand 0 'file=' 'size=' 'bs=' 'iodepth=' 'rw=' 'direct' 'batch-submit=' 'batch-complete=' 'batch-complete-max=' 'runtime=' 'ios=' 'via=' 'json' 'q/quiet' 'json+' 'output-format=' 'color=' 'version' 'h/help'
        case 'info'
            __aioctl_parse_subcommand 0 'nr-events=' 'via=' 'json' 'q/quiet' 'version' 'h/help'
        case 'diff'
            __aioctl_parse_subcommand -r 1 'format=' 'json' 'q/quiet' 'min-runs=' 'version' 'h/help'
        case 'help'
            __aioctl_parse_subcommand -r 1 'version'
        end
    end
end

function __aioctl_tokens
    if test (string split -m 1 -f 1 -- . "$FISH_VERSION") -gt 3
        commandline --tokens-raw $argv
    else
        if test "$argv" = -tC
            string length -- "$(commandline -ct)"
        else
            commandline -o $argv
        end
    end
end

function __aioctl_parse_subcommand -S -a positional_count
    argparse -s r -- $argv
    set -l option_specs $argv[2..]
    set -l is_repeating_positional $_flag_r
    set -el _flag_r
    set -a commands $unparsed_tokens[1]
    set positional_index 0
    while true
        set -e unparsed_tokens[1]
        argparse -sn "$commands" $option_specs -- $unparsed_tokens 2> /dev/null
        set unparsed_tokens $argv
        set positional_index (math $positional_index + 1)
        for non_repeating_flag_or_option in $non_repeating_flags_or_options
            if set -ql "_flag_$(string replace -a - _ -- $non_repeating_flag_or_option)"
                set non_repeating_flags_or_options_absent 1
                break
            end
        end
        test (count $unparsed_tokens) -eq 0 -o \( -z "$is_repeating_positional" -a "$positional_index" -gt "$positional_count" \) && break
    end
end

function __aioctl_complete_directories
    set -l token (commandline -t)
    string match -- '*/' $token
    set -l subdirs $token*/
    printf %s\n $subdirs
end

function __aioctl_custom_completion
    set -x SAP_SHELL fish
    set -x SAP_SHELL_VERSION $FISH_VERSION
    set -l tokens (__aioctl_tokens -p)
    if test -z "$(__aioctl_tokens -t)"
        set -l index (count (__aioctl_tokens -pc))
        set tokens $tokens[..$index] \'\' $tokens[(math $index + 1)..]
    end
    command $tokens[1] $argv $tokens
end

complete -c 'aioctl' -f
complete -c 'aioctl' -n '__aioctl_should_offer_completions_for_flags_or_options "aioctl" version' -l 'version' -d 'Show the version.'
complete -c 'aioctl' -n '__aioctl_should_offer_completions_for_flags_or_options "aioctl" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'aioctl' -n '__aioctl_should_offer_completions_for_positional "aioctl" -eq 1' -fa 'cancel' -d 'Submit one request, cancel it after a delay, and judge every call.'
complete -c 'aioctl' -n '__aioctl_should_offer_completions_for_positional "aioctl" -eq 1' -fa 'check' -d 'Provoke every documented AIO situation on this kernel and judge it against each document.'
complete -c 'aioctl' -n '__aioctl_should_offer_completions_for_positional "aioctl" -eq 1' -fa 'spec' -d 'Print the expectation catalog, or check it against KAPI spec files (--kapi).'
complete -c 'aioctl' -n '__aioctl_should_offer_completions_for_positional "aioctl" -eq 1' -fa 'review' -d 'Review KAPI spec files statement by statement against the running kernel.'
complete -c 'aioctl' -n '__aioctl_should_offer_completions_for_positional "aioctl" -eq 1' -fa 'run' -d 'Run a script of AIO steps, each call judged against the documents.'
complete -c 'aioctl' -n '__aioctl_should_offer_completions_for_positional "aioctl" -eq 1' -fa 'shell' -d 'Type AIO steps interactively, with live handles kept between lines.'
complete -c 'aioctl' -n '__aioctl_should_offer_completions_for_positional "aioctl" -eq 1' -fa 'setup' -d 'Call io_setup once, with any nr_events and ctxp, and judge it.'
complete -c 'aioctl' -n '__aioctl_should_offer_completions_for_positional "aioctl" -eq 1' -fa 'submit' -d 'Call io_submit once with one request (or N alike) against a target, and judge it.'
complete -c 'aioctl' -n '__aioctl_should_offer_completions_for_positional "aioctl" -eq 1' -fa 'getevents' -d 'Call io_getevents once, with any min_nr, nr and timeout, and judge it.'
complete -c 'aioctl' -n '__aioctl_should_offer_completions_for_positional "aioctl" -eq 1' -fa 'destroy' -d 'Call io_destroy once, on a valid, destroyed, zero or garbage handle, and judge it.'
complete -c 'aioctl' -n '__aioctl_should_offer_completions_for_positional "aioctl" -eq 1' -fa 'race' -d 'Measure the window in which io_cancel and a POLL\'s completion race.'
complete -c 'aioctl' -n '__aioctl_should_offer_completions_for_positional "aioctl" -eq 1' -fa 'bench' -d 'Measure read or write throughput through the AIO path, the way fio\'s libaio engine does.'
complete -c 'aioctl' -n '__aioctl_should_offer_completions_for_positional "aioctl" -eq 1' -fa 'info' -d 'Describe this machine\'s AIO: kernel, limits, ring size, libaio, seccomp.'
complete -c 'aioctl' -n '__aioctl_should_offer_completions_for_positional "aioctl" -eq 1' -fa 'diff' -d 'Compare `aioctl check --format json` results from several kernels, side by side.'
complete -c 'aioctl' -n '__aioctl_should_offer_completions_for_positional "aioctl" -eq 1' -fa 'help' -d 'Show subcommand help information.'
complete -c 'aioctl' -n '__aioctl_should_offer_completions_for_flags_or_options "aioctl cancel" poll' -l 'poll' -d 'Submit IOCB_CMD_POLL (the default).'
complete -c 'aioctl' -n '__aioctl_should_offer_completions_for_flags_or_options "aioctl cancel" read' -l 'read' -d 'Submit IOCB_CMD_PREAD.'
complete -c 'aioctl' -n '__aioctl_should_offer_completions_for_positional "aioctl cancel" -eq 1' -fka '(__aioctl_custom_completion ---completion cancel -- positional@0 (count (__aioctl_tokens -pc)) (__aioctl_tokens -tC))'
complete -c 'aioctl' -n '__aioctl_should_offer_completions_for_flags_or_options "aioctl cancel" events' -l 'events' -d 'Poll bits for --poll, comma-separated: in, out, pri, err, hup, rdnorm, rdband, wrnorm, wrband, msg, rdhup, or a number (default: in).' -rfka 'in pri out err hup nval rdnorm rdband wrnorm wrband msg rdhup'
complete -c 'aioctl' -n '__aioctl_should_offer_completions_for_flags_or_options "aioctl cancel" length' -l 'length' -d 'Bytes to read with --read (default: 4096).' -rfka ''
complete -c 'aioctl' -n '__aioctl_should_offer_completions_for_flags_or_options "aioctl cancel" offset' -l 'offset' -d 'File offset for --read (default: 0).' -rfka ''
complete -c 'aioctl' -n '__aioctl_should_offer_completions_for_flags_or_options "aioctl cancel" nowait' -l 'nowait' -d 'Set RWF_NOWAIT on the --read request.'
complete -c 'aioctl' -n '__aioctl_should_offer_completions_for_flags_or_options "aioctl cancel" ready' -l 'ready' -d 'Make the target readable before submitting (one byte, or an eventfd count), so the request completes at once.'
complete -c 'aioctl' -n '__aioctl_should_offer_completions_for_flags_or_options "aioctl cancel" after' -l 'after' -d 'When to call io_cancel, from io_submit\'s call: 0, 250us, 10ms, 1.5s, or never.' -rfka 'never 0 10ms'
complete -c 'aioctl' -n '__aioctl_should_offer_completions_for_flags_or_options "aioctl cancel" unblock' -l 'unblock' -d 'How to free a read blocked in io_submit: write one byte, close the write end, or none (default: write where aioctl holds a write end).' -rfka 'write close none'
complete -c 'aioctl' -n '__aioctl_should_offer_completions_for_flags_or_options "aioctl cancel" reap-timeout' -l 'reap-timeout' -d 'How long io_getevents waits for the expected events.' -rfka ''
complete -c 'aioctl' -n '__aioctl_should_offer_completions_for_flags_or_options "aioctl cancel" nr-events' -l 'nr-events' -d 'nr_events for io_setup.' -rfka ''
complete -c 'aioctl' -n '__aioctl_should_offer_completions_for_flags_or_options "aioctl cancel" count' -l 'count' -d 'Repeat the probe N times and summarise the outcomes.' -rfka ''
complete -c 'aioctl' -n '__aioctl_should_offer_completions_for_flags_or_options "aioctl cancel" print-script' -l 'print-script' -d 'Print the probe as a step-language program (replay it with `aioctl run -`) and exit.'
complete -c 'aioctl' -n '__aioctl_should_offer_completions_for_flags_or_options "aioctl cancel" via' -l 'via' -d 'How calls reach the kernel: libaio\'s wrappers, which return -errno, or raw syscall(2), which returns -1 and sets errno.' -rfka 'libaio syscall'
complete -c 'aioctl' -n '__aioctl_should_offer_completions_for_flags_or_options "aioctl cancel" expect' -l 'expect' -d 'The document that decides the verdict and the exit status: the draft Kernel API specifications (kapi), man-pages\' section 2 (man2) or libaio\'s section 3 (libaio).' -rfka 'kapi man2 libaio'
complete -c 'aioctl' -n '__aioctl_should_offer_completions_for_flags_or_options "aioctl cancel" json' -l 'json' -d 'Print one JSON document instead of text.'
complete -c 'aioctl' -n '__aioctl_should_offer_completions_for_flags_or_options "aioctl cancel" q quiet' -l 'quiet' -s 'q' -d 'Print nothing on standard output; the exit status carries the answer.'
complete -c 'aioctl' -n '__aioctl_should_offer_completions_for_flags_or_options "aioctl cancel" color' -l 'color' -d 'Colour in text output: auto (a terminal, unless NO_COLOR is set or TERM=dumb), always or never.' -rfka 'auto always never'
complete -c 'aioctl' -n '__aioctl_should_offer_completions_for_flags_or_options "aioctl cancel" timeout' -l 'timeout' -d 'Bound on the run; past it aioctl frees blocked reads, destroys its contexts, stops and says so.' -rfka ''
complete -c 'aioctl' -n '__aioctl_should_offer_completions_for_flags_or_options "aioctl cancel" version' -l 'version' -d 'Show the version.'
complete -c 'aioctl' -n '__aioctl_should_offer_completions_for_flags_or_options "aioctl cancel" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'aioctl' -n '__aioctl_should_offer_completions_for_flags_or_options "aioctl check" via' -l 'via' -d 'How calls reach the kernel: libaio\'s wrappers, which return -errno, raw syscall(2), which returns -1 and sets errno, or both (each scenario once each way).' -rfka 'libaio syscall both'
complete -c 'aioctl' -n '__aioctl_should_offer_completions_for_flags_or_options "aioctl check" expect' -l 'expect' -d 'The document that decides the verdict and the exit status: the draft Kernel API specifications (kapi), man-pages\' section 2 (man2) or libaio\'s section 3 (libaio).' -rfka 'kapi man2 libaio'
complete -c 'aioctl' -n '__aioctl_should_offer_completions_for_flags_or_options "aioctl check" filter' -l 'filter' -d 'Only scenarios whose name or syscall matches this glob.' -rfka '(__aioctl_custom_completion ---completion check -- --filter (count (__aioctl_tokens -pc)) (__aioctl_tokens -tC))'
complete -c 'aioctl' -n '__aioctl_should_offer_completions_for_flags_or_options "aioctl check" list' -l 'list' -d 'List the scenarios (name, syscall, situation) without running them.'
complete -c 'aioctl' -n '__aioctl_should_offer_completions_for_flags_or_options "aioctl check" v verbose' -l 'verbose' -s 'v' -d 'Show every call of every run (text format).'
complete -c 'aioctl' -n '__aioctl_should_offer_completions_for_flags_or_options "aioctl check" format' -l 'format' -d 'Output format: text, ktap, tap or json (with --list: text or json).' -rfka 'text ktap tap json'
complete -c 'aioctl' -n '__aioctl_should_offer_completions_for_flags_or_options "aioctl check" json' -l 'json' -d 'Print one JSON document instead of text.'
complete -c 'aioctl' -n '__aioctl_should_offer_completions_for_flags_or_options "aioctl check" q quiet' -l 'quiet' -s 'q' -d 'Print nothing on standard output; the exit status carries the answer.'
complete -c 'aioctl' -n '__aioctl_should_offer_completions_for_flags_or_options "aioctl check" jobs' -l 'jobs' -d 'Threads that run scenarios side by side.' -rfka ''
complete -c 'aioctl' -n '__aioctl_should_offer_completions_for_flags_or_options "aioctl check" print-script' -l 'print-script' -d 'Print the named scenario as the step-language program check runs, and exit. Replay it with `aioctl run -` (add --via to pick the convention).' -rfka ''
complete -c 'aioctl' -n '__aioctl_should_offer_completions_for_flags_or_options "aioctl check" color' -l 'color' -d 'Colour in text output: auto (a terminal, unless NO_COLOR is set or TERM=dumb), always or never.' -rfka 'auto always never'
complete -c 'aioctl' -n '__aioctl_should_offer_completions_for_flags_or_options "aioctl check" version' -l 'version' -d 'Show the version.'
complete -c 'aioctl' -n '__aioctl_should_offer_completions_for_flags_or_options "aioctl check" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'aioctl' -n '__aioctl_should_offer_completions_for_positional "aioctl spec" -ge 1' -fka 'io_setup io_destroy io_submit io_cancel io_getevents io_pgetevents'
complete -c 'aioctl' -n '__aioctl_should_offer_completions_for_flags_or_options "aioctl spec" json' -l 'json' -d 'Print one JSON document instead of text.'
complete -c 'aioctl' -n '__aioctl_should_offer_completions_for_flags_or_options "aioctl spec"' -l 'kapi' -d 'KAPI spec files to print and check the catalog against (patch, mail, source or tools/kapi JSON).' -rF
complete -c 'aioctl' -n '__aioctl_should_offer_completions_for_flags_or_options "aioctl spec" color' -l 'color' -d 'Colour in text output: auto (a terminal, unless NO_COLOR is set or TERM=dumb), always or never.' -rfka 'auto always never'
complete -c 'aioctl' -n '__aioctl_should_offer_completions_for_flags_or_options "aioctl spec" version' -l 'version' -d 'Show the version.'
complete -c 'aioctl' -n '__aioctl_should_offer_completions_for_flags_or_options "aioctl spec" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'aioctl' -n '__aioctl_should_offer_completions_for_positional "aioctl review" -ge 1' -F
complete -c 'aioctl' -n '__aioctl_should_offer_completions_for_flags_or_options "aioctl review" format' -l 'format' -d 'Output format: text, json or markdown.' -rfka 'text json markdown'
complete -c 'aioctl' -n '__aioctl_should_offer_completions_for_flags_or_options "aioctl review" json' -l 'json' -d 'Print one JSON document instead of text.'
complete -c 'aioctl' -n '__aioctl_should_offer_completions_for_flags_or_options "aioctl review" q quiet' -l 'quiet' -s 'q' -d 'Print nothing on standard output; the exit status carries the answer.'
complete -c 'aioctl' -n '__aioctl_should_offer_completions_for_flags_or_options "aioctl review" jobs' -l 'jobs' -d 'Threads that run scenarios side by side.' -rfka ''
complete -c 'aioctl' -n '__aioctl_should_offer_completions_for_flags_or_options "aioctl review" version' -l 'version' -d 'Show the version.'
complete -c 'aioctl' -n '__aioctl_should_offer_completions_for_flags_or_options "aioctl review" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'aioctl' -n '__aioctl_should_offer_completions_for_positional "aioctl run" -eq 1' -fa '(for p in (string match -e -- \'*/\' (commandline -t);or printf \n)*.\'aio\';printf %s\n $p;end;__fish_complete_directories (commandline -t) \'\')'
complete -c 'aioctl' -n '__aioctl_should_offer_completions_for_flags_or_options "aioctl run" keep-going' -l 'keep-going' -d 'Go on after a step that cannot run.'
complete -c 'aioctl' -n '__aioctl_should_offer_completions_for_flags_or_options "aioctl run" via' -l 'via' -d 'How calls reach the kernel: libaio\'s wrappers, which return -errno, or raw syscall(2), which returns -1 and sets errno.' -rfka 'libaio syscall'
complete -c 'aioctl' -n '__aioctl_should_offer_completions_for_flags_or_options "aioctl run" expect' -l 'expect' -d 'The document that decides the verdict and the exit status: the draft Kernel API specifications (kapi), man-pages\' section 2 (man2) or libaio\'s section 3 (libaio).' -rfka 'kapi man2 libaio'
complete -c 'aioctl' -n '__aioctl_should_offer_completions_for_flags_or_options "aioctl run" json' -l 'json' -d 'Print one JSON document instead of text.'
complete -c 'aioctl' -n '__aioctl_should_offer_completions_for_flags_or_options "aioctl run" q quiet' -l 'quiet' -s 'q' -d 'Print nothing on standard output; the exit status carries the answer.'
complete -c 'aioctl' -n '__aioctl_should_offer_completions_for_flags_or_options "aioctl run" color' -l 'color' -d 'Colour in text output: auto (a terminal, unless NO_COLOR is set or TERM=dumb), always or never.' -rfka 'auto always never'
complete -c 'aioctl' -n '__aioctl_should_offer_completions_for_flags_or_options "aioctl run" timeout' -l 'timeout' -d 'Bound on the run; past it aioctl frees blocked reads, destroys its contexts, stops and says so.' -rfka ''
complete -c 'aioctl' -n '__aioctl_should_offer_completions_for_flags_or_options "aioctl run" version' -l 'version' -d 'Show the version.'
complete -c 'aioctl' -n '__aioctl_should_offer_completions_for_flags_or_options "aioctl run" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'aioctl' -n '__aioctl_should_offer_completions_for_flags_or_options "aioctl shell" keep-going' -l 'keep-going' -d 'Go on after a step that cannot run.'
complete -c 'aioctl' -n '__aioctl_should_offer_completions_for_flags_or_options "aioctl shell" via' -l 'via' -d 'How calls reach the kernel: libaio\'s wrappers, which return -errno, or raw syscall(2), which returns -1 and sets errno.' -rfka 'libaio syscall'
complete -c 'aioctl' -n '__aioctl_should_offer_completions_for_flags_or_options "aioctl shell" expect' -l 'expect' -d 'The document that decides the verdict and the exit status: the draft Kernel API specifications (kapi), man-pages\' section 2 (man2) or libaio\'s section 3 (libaio).' -rfka 'kapi man2 libaio'
complete -c 'aioctl' -n '__aioctl_should_offer_completions_for_flags_or_options "aioctl shell" json' -l 'json' -d 'Print one JSON document instead of text.'
complete -c 'aioctl' -n '__aioctl_should_offer_completions_for_flags_or_options "aioctl shell" q quiet' -l 'quiet' -s 'q' -d 'Print nothing on standard output; the exit status carries the answer.'
complete -c 'aioctl' -n '__aioctl_should_offer_completions_for_flags_or_options "aioctl shell" color' -l 'color' -d 'Colour in text output: auto (a terminal, unless NO_COLOR is set or TERM=dumb), always or never.' -rfka 'auto always never'
complete -c 'aioctl' -n '__aioctl_should_offer_completions_for_flags_or_options "aioctl shell" timeout' -l 'timeout' -d 'Bound on the run; past it aioctl frees blocked reads, destroys its contexts, stops and says so.' -rfka ''
complete -c 'aioctl' -n '__aioctl_should_offer_completions_for_flags_or_options "aioctl shell" version' -l 'version' -d 'Show the version.'
complete -c 'aioctl' -n '__aioctl_should_offer_completions_for_flags_or_options "aioctl shell" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'aioctl' -n '__aioctl_should_offer_completions_for_flags_or_options "aioctl setup" ctxp' -l 'ctxp' -d 'ctxp: valid, null, unmapped or readonly.' -rfka 'valid null unmapped readonly'
complete -c 'aioctl' -n '__aioctl_should_offer_completions_for_flags_or_options "aioctl setup" preset' -l 'preset' -d 'A non-zero value stored in *ctxp before the call (hex or decimal).' -rfka ''
complete -c 'aioctl' -n '__aioctl_should_offer_completions_for_flags_or_options "aioctl setup" v verbose' -l 'verbose' -s 'v' -d 'Also print the steps that set the call up and tear it down.'
complete -c 'aioctl' -n '__aioctl_should_offer_completions_for_flags_or_options "aioctl setup" print-script' -l 'print-script' -d 'Print the step-language script instead of running it.'
complete -c 'aioctl' -n '__aioctl_should_offer_completions_for_flags_or_options "aioctl setup" via' -l 'via' -d 'How calls reach the kernel: libaio\'s wrappers, which return -errno, or raw syscall(2), which returns -1 and sets errno.' -rfka 'libaio syscall'
complete -c 'aioctl' -n '__aioctl_should_offer_completions_for_flags_or_options "aioctl setup" expect' -l 'expect' -d 'The document that decides the verdict and the exit status: the draft Kernel API specifications (kapi), man-pages\' section 2 (man2) or libaio\'s section 3 (libaio).' -rfka 'kapi man2 libaio'
complete -c 'aioctl' -n '__aioctl_should_offer_completions_for_flags_or_options "aioctl setup" json' -l 'json' -d 'Print one JSON document instead of text.'
complete -c 'aioctl' -n '__aioctl_should_offer_completions_for_flags_or_options "aioctl setup" q quiet' -l 'quiet' -s 'q' -d 'Print nothing on standard output; the exit status carries the answer.'
complete -c 'aioctl' -n '__aioctl_should_offer_completions_for_flags_or_options "aioctl setup" color' -l 'color' -d 'Colour in text output: auto (a terminal, unless NO_COLOR is set or TERM=dumb), always or never.' -rfka 'auto always never'
complete -c 'aioctl' -n '__aioctl_should_offer_completions_for_flags_or_options "aioctl setup" version' -l 'version' -d 'Show the version.'
complete -c 'aioctl' -n '__aioctl_should_offer_completions_for_flags_or_options "aioctl setup" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'aioctl' -n '__aioctl_should_offer_completions_for_flags_or_options "aioctl submit" op' -l 'op' -d 'The operation: poll, pread, pwrite, preadv, pwritev, fsync, fdsync, noop, or opcode N.' -rfka 'poll pread pwrite preadv pwritev fsync fdsync noop opcode'
complete -c 'aioctl' -n '__aioctl_should_offer_completions_for_positional "aioctl submit" -eq 1' -fka '(__aioctl_custom_completion ---completion submit -- positional@0 (count (__aioctl_tokens -pc)) (__aioctl_tokens -tC))'
complete -c 'aioctl' -n '__aioctl_should_offer_completions_for_flags_or_options "aioctl submit" events' -l 'events' -d 'Poll bits for poll (default: in).' -rfka ''
complete -c 'aioctl' -n '__aioctl_should_offer_completions_for_flags_or_options "aioctl submit" length' -l 'length' -d 'aio_nbytes.' -rfka ''
complete -c 'aioctl' -n '__aioctl_should_offer_completions_for_flags_or_options "aioctl submit" offset' -l 'offset' -d 'aio_offset.' -rfka ''
complete -c 'aioctl' -n '__aioctl_should_offer_completions_for_flags_or_options "aioctl submit" rw-flags' -l 'rw-flags' -d 'aio_rw_flags: nowait, hipri, dsync, sync, append, or a number.' -rfka ''
complete -c 'aioctl' -n '__aioctl_should_offer_completions_for_flags_or_options "aioctl submit" reserved2' -l 'reserved2' -d 'aio_reserved2 (the kernel wants 0).' -rfka ''
complete -c 'aioctl' -n '__aioctl_should_offer_completions_for_flags_or_options "aioctl submit" nr' -l 'nr' -d 'io_submit\'s nr, when it should differ from the number of iocbs.' -rfka ''
complete -c 'aioctl' -n '__aioctl_should_offer_completions_for_flags_or_options "aioctl submit" copies' -l 'copies' -d 'Submit N alike iocbs in one batch.' -rfka ''
complete -c 'aioctl' -n '__aioctl_should_offer_completions_for_flags_or_options "aioctl submit" ready' -l 'ready' -d 'Make the target readable first (one byte, or an eventfd count).'
complete -c 'aioctl' -n '__aioctl_should_offer_completions_for_flags_or_options "aioctl submit" reap-timeout' -l 'reap-timeout' -d 'How long to wait for completions afterwards.' -rfka ''
complete -c 'aioctl' -n '__aioctl_should_offer_completions_for_flags_or_options "aioctl submit" v verbose' -l 'verbose' -s 'v' -d 'Also print the steps that set the call up and tear it down.'
complete -c 'aioctl' -n '__aioctl_should_offer_completions_for_flags_or_options "aioctl submit" print-script' -l 'print-script' -d 'Print the step-language script instead of running it.'
complete -c 'aioctl' -n '__aioctl_should_offer_completions_for_flags_or_options "aioctl submit" via' -l 'via' -d 'How calls reach the kernel: libaio\'s wrappers, which return -errno, or raw syscall(2), which returns -1 and sets errno.' -rfka 'libaio syscall'
complete -c 'aioctl' -n '__aioctl_should_offer_completions_for_flags_or_options "aioctl submit" expect' -l 'expect' -d 'The document that decides the verdict and the exit status: the draft Kernel API specifications (kapi), man-pages\' section 2 (man2) or libaio\'s section 3 (libaio).' -rfka 'kapi man2 libaio'
complete -c 'aioctl' -n '__aioctl_should_offer_completions_for_flags_or_options "aioctl submit" json' -l 'json' -d 'Print one JSON document instead of text.'
complete -c 'aioctl' -n '__aioctl_should_offer_completions_for_flags_or_options "aioctl submit" q quiet' -l 'quiet' -s 'q' -d 'Print nothing on standard output; the exit status carries the answer.'
complete -c 'aioctl' -n '__aioctl_should_offer_completions_for_flags_or_options "aioctl submit" color' -l 'color' -d 'Colour in text output: auto (a terminal, unless NO_COLOR is set or TERM=dumb), always or never.' -rfka 'auto always never'
complete -c 'aioctl' -n '__aioctl_should_offer_completions_for_flags_or_options "aioctl submit" version' -l 'version' -d 'Show the version.'
complete -c 'aioctl' -n '__aioctl_should_offer_completions_for_flags_or_options "aioctl submit" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'aioctl' -n '__aioctl_should_offer_completions_for_flags_or_options "aioctl getevents" min' -l 'min' -d 'min_nr.' -rfka ''
complete -c 'aioctl' -n '__aioctl_should_offer_completions_for_flags_or_options "aioctl getevents" max' -l 'max' -d 'nr, the most events to return.' -rfka ''
complete -c 'aioctl' -n '__aioctl_should_offer_completions_for_flags_or_options "aioctl getevents" timeout' -l 'timeout' -d 'A duration, none (wait forever: bounded by aioctl\'s own 30s), invalid or unmapped.' -rfka ''
complete -c 'aioctl' -n '__aioctl_should_offer_completions_for_flags_or_options "aioctl getevents" events-pointer' -l 'events-pointer' -d 'The events array: valid, null, unmapped or readonly.' -rfka ''
complete -c 'aioctl' -n '__aioctl_should_offer_completions_for_flags_or_options "aioctl getevents" ready' -l 'ready' -d 'Completed polls waiting in the ring before the call.' -rfka ''
complete -c 'aioctl' -n '__aioctl_should_offer_completions_for_flags_or_options "aioctl getevents" pending' -l 'pending' -d 'Polls still pending during the call.' -rfka ''
complete -c 'aioctl' -n '__aioctl_should_offer_completions_for_flags_or_options "aioctl getevents" v verbose' -l 'verbose' -s 'v' -d 'Also print the steps that set the call up and tear it down.'
complete -c 'aioctl' -n '__aioctl_should_offer_completions_for_flags_or_options "aioctl getevents" print-script' -l 'print-script' -d 'Print the step-language script instead of running it.'
complete -c 'aioctl' -n '__aioctl_should_offer_completions_for_flags_or_options "aioctl getevents" via' -l 'via' -d 'How calls reach the kernel: libaio\'s wrappers, which return -errno, or raw syscall(2), which returns -1 and sets errno.' -rfka 'libaio syscall'
complete -c 'aioctl' -n '__aioctl_should_offer_completions_for_flags_or_options "aioctl getevents" expect' -l 'expect' -d 'The document that decides the verdict and the exit status: the draft Kernel API specifications (kapi), man-pages\' section 2 (man2) or libaio\'s section 3 (libaio).' -rfka 'kapi man2 libaio'
complete -c 'aioctl' -n '__aioctl_should_offer_completions_for_flags_or_options "aioctl getevents" json' -l 'json' -d 'Print one JSON document instead of text.'
complete -c 'aioctl' -n '__aioctl_should_offer_completions_for_flags_or_options "aioctl getevents" q quiet' -l 'quiet' -s 'q' -d 'Print nothing on standard output; the exit status carries the answer.'
complete -c 'aioctl' -n '__aioctl_should_offer_completions_for_flags_or_options "aioctl getevents" color' -l 'color' -d 'Colour in text output: auto (a terminal, unless NO_COLOR is set or TERM=dumb), always or never.' -rfka 'auto always never'
complete -c 'aioctl' -n '__aioctl_should_offer_completions_for_flags_or_options "aioctl getevents" version' -l 'version' -d 'Show the version.'
complete -c 'aioctl' -n '__aioctl_should_offer_completions_for_flags_or_options "aioctl getevents" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'aioctl' -n '__aioctl_should_offer_completions_for_flags_or_options "aioctl destroy" ctx' -l 'ctx' -d 'The handle: valid, destroyed, 0, garbage or unmapped.' -rfka 'valid destroyed 0 garbage unmapped'
complete -c 'aioctl' -n '__aioctl_should_offer_completions_for_flags_or_options "aioctl destroy" pending-poll' -l 'pending-poll' -d 'Leave a poll pending on an empty pipe before destroying.'
complete -c 'aioctl' -n '__aioctl_should_offer_completions_for_flags_or_options "aioctl destroy" v verbose' -l 'verbose' -s 'v' -d 'Also print the steps that set the call up and tear it down.'
complete -c 'aioctl' -n '__aioctl_should_offer_completions_for_flags_or_options "aioctl destroy" print-script' -l 'print-script' -d 'Print the step-language script instead of running it.'
complete -c 'aioctl' -n '__aioctl_should_offer_completions_for_flags_or_options "aioctl destroy" via' -l 'via' -d 'How calls reach the kernel: libaio\'s wrappers, which return -errno, or raw syscall(2), which returns -1 and sets errno.' -rfka 'libaio syscall'
complete -c 'aioctl' -n '__aioctl_should_offer_completions_for_flags_or_options "aioctl destroy" expect' -l 'expect' -d 'The document that decides the verdict and the exit status: the draft Kernel API specifications (kapi), man-pages\' section 2 (man2) or libaio\'s section 3 (libaio).' -rfka 'kapi man2 libaio'
complete -c 'aioctl' -n '__aioctl_should_offer_completions_for_flags_or_options "aioctl destroy" json' -l 'json' -d 'Print one JSON document instead of text.'
complete -c 'aioctl' -n '__aioctl_should_offer_completions_for_flags_or_options "aioctl destroy" q quiet' -l 'quiet' -s 'q' -d 'Print nothing on standard output; the exit status carries the answer.'
complete -c 'aioctl' -n '__aioctl_should_offer_completions_for_flags_or_options "aioctl destroy" color' -l 'color' -d 'Colour in text output: auto (a terminal, unless NO_COLOR is set or TERM=dumb), always or never.' -rfka 'auto always never'
complete -c 'aioctl' -n '__aioctl_should_offer_completions_for_flags_or_options "aioctl destroy" version' -l 'version' -d 'Show the version.'
complete -c 'aioctl' -n '__aioctl_should_offer_completions_for_flags_or_options "aioctl destroy" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'aioctl' -n '__aioctl_should_offer_completions_for_flags_or_options "aioctl race" target' -l 'target' -d 'pipe, socketpair or eventfd.' -rfka 'pipe socketpair eventfd'
complete -c 'aioctl' -n '__aioctl_should_offer_completions_for_flags_or_options "aioctl race" cancel-after' -l 'cancel-after' -d 'When io_cancel runs, from the io_submit call (e.g. 0, 5us, 1ms).' -rfka ''
complete -c 'aioctl' -n '__aioctl_should_offer_completions_for_flags_or_options "aioctl race" ready-after' -l 'ready-after' -d 'When the target becomes readable, from the io_submit call, or never (no readiness thread).' -rfka ''
complete -c 'aioctl' -n '__aioctl_should_offer_completions_for_flags_or_options "aioctl race" sweep' -l 'sweep' -d 'Sweep readiness relative to the cancel: FROM..TO/STEP, e.g. -20us..20us/2us.' -rfka ''
complete -c 'aioctl' -n '__aioctl_should_offer_completions_for_flags_or_options "aioctl race" iterations' -l 'iterations' -d 'Iterations per setting (default: 10000).' -rfka ''
complete -c 'aioctl' -n '__aioctl_should_offer_completions_for_flags_or_options "aioctl race" duration' -l 'duration' -d 'Run each setting this long instead of a number of iterations.' -rfka ''
complete -c 'aioctl' -n '__aioctl_should_offer_completions_for_flags_or_options "aioctl race" reap-timeout' -l 'reap-timeout' -d 'How long to wait for an iteration\'s event before calling it lost.' -rfka ''
complete -c 'aioctl' -n '__aioctl_should_offer_completions_for_flags_or_options "aioctl race" plot' -l 'plot' -d 'Also write an SVG of outcome share against the sweep offset.' -rF
complete -c 'aioctl' -n '__aioctl_should_offer_completions_for_flags_or_options "aioctl race" via' -l 'via' -d 'How calls reach the kernel: libaio\'s wrappers, which return -errno, or raw syscall(2), which returns -1 and sets errno.' -rfka 'libaio syscall'
complete -c 'aioctl' -n '__aioctl_should_offer_completions_for_flags_or_options "aioctl race" json' -l 'json' -d 'Print one JSON document instead of text.'
complete -c 'aioctl' -n '__aioctl_should_offer_completions_for_flags_or_options "aioctl race" q quiet' -l 'quiet' -s 'q' -d 'Print nothing on standard output; the exit status carries the answer.'
complete -c 'aioctl' -n '__aioctl_should_offer_completions_for_flags_or_options "aioctl race" color' -l 'color' -d 'Colour in text output: auto (a terminal, unless NO_COLOR is set or TERM=dumb), always or never.' -rfka 'auto always never'
complete -c 'aioctl' -n '__aioctl_should_offer_completions_for_flags_or_options "aioctl race" version' -l 'version' -d 'Show the version.'
complete -c 'aioctl' -n '__aioctl_should_offer_completions_for_flags_or_options "aioctl race" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'aioctl' -n '__aioctl_should_offer_completions_for_flags_or_options "aioctl bench" file' -l 'file' -d 'The file to read or write; created and filled when missing.' -rF
complete -c 'aioctl' -n '__aioctl_should_offer_completions_for_flags_or_options "aioctl bench" size' -l 'size' -d 'File size: 4096, 4k, 64MiB, 1g (default: the file\'s size, or 64MiB for a new file).' -rfka ''
complete -c 'aioctl' -n '__aioctl_should_offer_completions_for_flags_or_options "aioctl bench" bs' -l 'bs' -d 'Block size of each I/O (default: 4k).' -rfka ''
complete -c 'aioctl' -n '__aioctl_should_offer_completions_for_flags_or_options "aioctl bench" iodepth' -l 'iodepth' -d 'Requests kept in flight, io_setup\'s nr_events (default: 32).' -rfka ''
complete -c 'aioctl' -n '__aioctl_should_offer_completions_for_flags_or_options "aioctl bench" rw' -l 'rw' -d 'read, randread, write or randwrite (default: randread).' -rfka 'read randread write randwrite'
complete -c 'aioctl' -n '__aioctl_should_offer_completions_for_flags_or_options "aioctl bench" direct' -l 'direct' -d 'Open the file with O_DIRECT, bypassing the page cache.'
complete -c 'aioctl' -n '__aioctl_should_offer_completions_for_flags_or_options "aioctl bench" batch-submit' -l 'batch-submit' -d 'iocbs per io_submit at most, fio\'s iodepth_batch_submit (default: 1).' -rfka ''
complete -c 'aioctl' -n '__aioctl_should_offer_completions_for_flags_or_options "aioctl bench" batch-complete' -l 'batch-complete' -d 'min_nr for io_getevents, fio\'s iodepth_batch_complete_min (default: 1).' -rfka ''
complete -c 'aioctl' -n '__aioctl_should_offer_completions_for_flags_or_options "aioctl bench" batch-complete-max' -l 'batch-complete-max' -d 'nr for io_getevents, fio\'s iodepth_batch_complete_max (default: --iodepth; fio\'s default is 1).' -rfka ''
complete -c 'aioctl' -n '__aioctl_should_offer_completions_for_flags_or_options "aioctl bench" runtime' -l 'runtime' -d 'Run this long (time-based).' -rfka ''
complete -c 'aioctl' -n '__aioctl_should_offer_completions_for_flags_or_options "aioctl bench" ios' -l 'ios' -d 'Stop after this many I/Os.' -rfka ''
complete -c 'aioctl' -n '__aioctl_should_offer_completions_for_flags_or_options "aioctl bench" via' -l 'via' -d 'How calls reach the kernel: libaio\'s wrappers, which return -errno, or raw syscall(2), which returns -1 and sets errno.' -rfka 'libaio syscall'
complete -c 'aioctl' -n '__aioctl_should_offer_completions_for_flags_or_options "aioctl bench" json' -l 'json' -d 'Print one JSON document instead of text.'
complete -c 'aioctl' -n '__aioctl_should_offer_completions_for_flags_or_options "aioctl bench" q quiet' -l 'quiet' -s 'q' -d 'Print nothing on standard output; the exit status carries the answer.'
complete -c 'aioctl' -n '__aioctl_should_offer_completions_for_flags_or_options "aioctl bench" json+' -l 'json+' -d 'Print fio\'s json+ (JSON with clat_ns.bins) instead of text.'
complete -c 'aioctl' -n '__aioctl_should_offer_completions_for_flags_or_options "aioctl bench" output-format' -l 'output-format' -d 'normal, json or json+, as fio names them (default: normal).' -rfka 'normal json json+'
complete -c 'aioctl' -n '__aioctl_should_offer_completions_for_flags_or_options "aioctl bench" color' -l 'color' -d 'Colour in text output: auto (a terminal, unless NO_COLOR is set or TERM=dumb), always or never.' -rfka 'auto always never'
complete -c 'aioctl' -n '__aioctl_should_offer_completions_for_flags_or_options "aioctl bench" version' -l 'version' -d 'Show the version.'
complete -c 'aioctl' -n '__aioctl_should_offer_completions_for_flags_or_options "aioctl bench" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'aioctl' -n '__aioctl_should_offer_completions_for_flags_or_options "aioctl info" nr-events' -l 'nr-events' -d 'nr_events for the probe context.' -rfka ''
complete -c 'aioctl' -n '__aioctl_should_offer_completions_for_flags_or_options "aioctl info" via' -l 'via' -d 'How calls reach the kernel: libaio\'s wrappers, which return -errno, or raw syscall(2), which returns -1 and sets errno.' -rfka 'libaio syscall'
complete -c 'aioctl' -n '__aioctl_should_offer_completions_for_flags_or_options "aioctl info" json' -l 'json' -d 'Print one JSON document instead of text.'
complete -c 'aioctl' -n '__aioctl_should_offer_completions_for_flags_or_options "aioctl info" q quiet' -l 'quiet' -s 'q' -d 'Print nothing on standard output; the exit status carries the answer.'
complete -c 'aioctl' -n '__aioctl_should_offer_completions_for_flags_or_options "aioctl info" version' -l 'version' -d 'Show the version.'
complete -c 'aioctl' -n '__aioctl_should_offer_completions_for_flags_or_options "aioctl info" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'aioctl' -n '__aioctl_should_offer_completions_for_flags_or_options "aioctl diff" format' -l 'format' -d 'Output format: text, markdown or json.' -rfka 'text markdown json'
complete -c 'aioctl' -n '__aioctl_should_offer_completions_for_flags_or_options "aioctl diff" json' -l 'json' -d 'Print one JSON document instead of text.'
complete -c 'aioctl' -n '__aioctl_should_offer_completions_for_flags_or_options "aioctl diff" q quiet' -l 'quiet' -s 'q' -d 'Print nothing on standard output; the exit status carries the answer.'
complete -c 'aioctl' -n '__aioctl_should_offer_completions_for_flags_or_options "aioctl diff" min-runs' -l 'min-runs' -d 'Compare a kernel\'s answer only when it came in at least this many runs.' -rfka ''
complete -c 'aioctl' -n '__aioctl_should_offer_completions_for_flags_or_options "aioctl diff" version' -l 'version' -d 'Show the version.'
complete -c 'aioctl' -n '__aioctl_should_offer_completions_for_flags_or_options "aioctl diff" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'aioctl' -n '__aioctl_should_offer_completions_for_flags_or_options "aioctl help" version' -l 'version' -d 'Show the version.'
complete -c 'aioctl' -n '__fish_seen_subcommand_from help' -f -a 'cancel check spec review run shell setup submit getevents destroy race bench info diff'
