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
            __aioctl_parse_subcommand 1 'poll' 'read' 'events=' 'length=' 'offset=' 'nowait' 'ready' 'after=' 'unblock=' 'reap-timeout=' 'timeout=' 'via=' 'expect=' 'nr-events=' 'count=' 'json' 'q/quiet' 'version' 'h/help'
        case 'run'
            __aioctl_parse_subcommand 1 'via=' 'expect=' 'keep-going' 'timeout=' 'json' 'version' 'h/help'
        case 'shell'
            __aioctl_parse_subcommand 0 'via=' 'expect=' 'keep-going' 'timeout=' 'json' 'version' 'h/help'
        case 'info'
            __aioctl_parse_subcommand 0 'nr-events=' 'via=' 'json' 'version' 'h/help'
        case 'help'
            __aioctl_parse_subcommand -r 1 'version'
        end
    end
end

function __aioctl_tokens
    if test (string split -m 1 -f 1 -- . "$FISH_VERSION") -gt 3
        commandline --tokens-raw $argv
    else
        commandline -o $argv
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
complete -c 'aioctl' -n '__aioctl_should_offer_completions_for_positional "aioctl" -eq 1' -fa 'run' -d 'Run a script of AIO steps, each call judged against the documents.'
complete -c 'aioctl' -n '__aioctl_should_offer_completions_for_positional "aioctl" -eq 1' -fa 'shell' -d 'Type AIO steps interactively, with live handles kept between lines.'
complete -c 'aioctl' -n '__aioctl_should_offer_completions_for_positional "aioctl" -eq 1' -fa 'info' -d 'Describe this machine\'s AIO: kernel, limits, ring size, libaio, seccomp.'
complete -c 'aioctl' -n '__aioctl_should_offer_completions_for_positional "aioctl" -eq 1' -fa 'help' -d 'Show subcommand help information.'
complete -c 'aioctl' -n '__aioctl_should_offer_completions_for_flags_or_options "aioctl cancel" poll' -l 'poll' -d 'Submit IOCB_CMD_POLL (the default).'
complete -c 'aioctl' -n '__aioctl_should_offer_completions_for_flags_or_options "aioctl cancel" read' -l 'read' -d 'Submit IOCB_CMD_PREAD.'
complete -c 'aioctl' -n '__aioctl_should_offer_completions_for_positional "aioctl cancel" -eq 1' -fka 'pipe socketpair eventfd fifo fd: file:'
complete -c 'aioctl' -n '__aioctl_should_offer_completions_for_flags_or_options "aioctl cancel" events' -l 'events' -d 'Poll bits for --poll, comma-separated: in, out, pri, err, hup, rdnorm, rdband, wrnorm, wrband, msg, rdhup, or a number (default: in).' -rfka 'in pri out err hup nval rdnorm rdband wrnorm wrband msg rdhup'
complete -c 'aioctl' -n '__aioctl_should_offer_completions_for_flags_or_options "aioctl cancel" length' -l 'length' -d 'Bytes to read with --read (default: 4096).' -rfka ''
complete -c 'aioctl' -n '__aioctl_should_offer_completions_for_flags_or_options "aioctl cancel" offset' -l 'offset' -d 'File offset for --read (default: 0).' -rfka ''
complete -c 'aioctl' -n '__aioctl_should_offer_completions_for_flags_or_options "aioctl cancel" nowait' -l 'nowait' -d 'Set RWF_NOWAIT on the --read request.'
complete -c 'aioctl' -n '__aioctl_should_offer_completions_for_flags_or_options "aioctl cancel" ready' -l 'ready' -d 'Make the target readable before submitting (one byte, or an eventfd count), so the request completes at once.'
complete -c 'aioctl' -n '__aioctl_should_offer_completions_for_flags_or_options "aioctl cancel" after' -l 'after' -d 'When to call io_cancel, from io_submit\'s call: 0, 250us, 10ms, 1.5s, or never.' -rfka ''
complete -c 'aioctl' -n '__aioctl_should_offer_completions_for_flags_or_options "aioctl cancel" unblock' -l 'unblock' -d 'How to free a read blocked in io_submit: write one byte, close the write end, or none (default: write where aioctl holds a write end).' -rfka 'write close none'
complete -c 'aioctl' -n '__aioctl_should_offer_completions_for_flags_or_options "aioctl cancel" reap-timeout' -l 'reap-timeout' -d 'How long io_getevents waits for the expected events.' -rfka ''
complete -c 'aioctl' -n '__aioctl_should_offer_completions_for_flags_or_options "aioctl cancel" timeout' -l 'timeout' -d 'Bound on the whole run; past it aioctl unblocks, destroys the context and says so.' -rfka ''
complete -c 'aioctl' -n '__aioctl_should_offer_completions_for_flags_or_options "aioctl cancel" via' -l 'via' -d 'libaio: libaio\'s wrappers (return -errno); syscall: raw syscalls (-1 and errno).' -rfka 'libaio syscall'
complete -c 'aioctl' -n '__aioctl_should_offer_completions_for_flags_or_options "aioctl cancel" expect' -l 'expect' -d 'The source that decides the verdict and exit status: kapi, man2 or libaio.' -rfka 'kapi man2 libaio'
complete -c 'aioctl' -n '__aioctl_should_offer_completions_for_flags_or_options "aioctl cancel" nr-events' -l 'nr-events' -d 'nr_events for io_setup.' -rfka ''
complete -c 'aioctl' -n '__aioctl_should_offer_completions_for_flags_or_options "aioctl cancel" count' -l 'count' -d 'Repeat the probe N times and summarise the outcomes.' -rfka ''
complete -c 'aioctl' -n '__aioctl_should_offer_completions_for_flags_or_options "aioctl cancel" json' -l 'json' -d 'Print one JSON document instead of text.'
complete -c 'aioctl' -n '__aioctl_should_offer_completions_for_flags_or_options "aioctl cancel" q quiet' -l 'quiet' -s 'q' -d 'Print nothing; the exit status carries the answer.'
complete -c 'aioctl' -n '__aioctl_should_offer_completions_for_flags_or_options "aioctl cancel" version' -l 'version' -d 'Show the version.'
complete -c 'aioctl' -n '__aioctl_should_offer_completions_for_flags_or_options "aioctl cancel" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'aioctl' -n '__aioctl_should_offer_completions_for_positional "aioctl run" -eq 1' -fa '(for p in (string match -e -- \'*/\' (commandline -t);or printf \n)*.\'aio\';printf %s\n $p;end;__fish_complete_directories (commandline -t) \'\')'
complete -c 'aioctl' -n '__aioctl_should_offer_completions_for_flags_or_options "aioctl run" via' -l 'via' -d 'libaio: libaio\'s wrappers (return -errno); syscall: raw syscalls (-1 and errno).' -rfka 'libaio syscall'
complete -c 'aioctl' -n '__aioctl_should_offer_completions_for_flags_or_options "aioctl run" expect' -l 'expect' -d 'The source that decides the verdict and exit status: kapi, man2 or libaio.' -rfka 'kapi man2 libaio'
complete -c 'aioctl' -n '__aioctl_should_offer_completions_for_flags_or_options "aioctl run" keep-going' -l 'keep-going' -d 'Go on after a step that cannot run.'
complete -c 'aioctl' -n '__aioctl_should_offer_completions_for_flags_or_options "aioctl run" timeout' -l 'timeout' -d 'Bound on the whole script; past it blocked reads are freed and the script stops.' -rfka ''
complete -c 'aioctl' -n '__aioctl_should_offer_completions_for_flags_or_options "aioctl run" json' -l 'json' -d 'Print one JSON document of all steps instead of text.'
complete -c 'aioctl' -n '__aioctl_should_offer_completions_for_flags_or_options "aioctl run" version' -l 'version' -d 'Show the version.'
complete -c 'aioctl' -n '__aioctl_should_offer_completions_for_flags_or_options "aioctl run" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'aioctl' -n '__aioctl_should_offer_completions_for_flags_or_options "aioctl shell" via' -l 'via' -d 'libaio: libaio\'s wrappers (return -errno); syscall: raw syscalls (-1 and errno).' -rfka 'libaio syscall'
complete -c 'aioctl' -n '__aioctl_should_offer_completions_for_flags_or_options "aioctl shell" expect' -l 'expect' -d 'The source that decides the verdict and exit status: kapi, man2 or libaio.' -rfka 'kapi man2 libaio'
complete -c 'aioctl' -n '__aioctl_should_offer_completions_for_flags_or_options "aioctl shell" keep-going' -l 'keep-going' -d 'Go on after a step that cannot run.'
complete -c 'aioctl' -n '__aioctl_should_offer_completions_for_flags_or_options "aioctl shell" timeout' -l 'timeout' -d 'Bound on the whole script; past it blocked reads are freed and the script stops.' -rfka ''
complete -c 'aioctl' -n '__aioctl_should_offer_completions_for_flags_or_options "aioctl shell" json' -l 'json' -d 'Print one JSON document of all steps instead of text.'
complete -c 'aioctl' -n '__aioctl_should_offer_completions_for_flags_or_options "aioctl shell" version' -l 'version' -d 'Show the version.'
complete -c 'aioctl' -n '__aioctl_should_offer_completions_for_flags_or_options "aioctl shell" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'aioctl' -n '__aioctl_should_offer_completions_for_flags_or_options "aioctl info" nr-events' -l 'nr-events' -d 'nr_events for the probe context.' -rfka ''
complete -c 'aioctl' -n '__aioctl_should_offer_completions_for_flags_or_options "aioctl info" via' -l 'via' -d 'libaio: libaio\'s wrappers; syscall: raw syscalls.' -rfka 'libaio syscall'
complete -c 'aioctl' -n '__aioctl_should_offer_completions_for_flags_or_options "aioctl info" json' -l 'json' -d 'Print one JSON object instead of text.'
complete -c 'aioctl' -n '__aioctl_should_offer_completions_for_flags_or_options "aioctl info" version' -l 'version' -d 'Show the version.'
complete -c 'aioctl' -n '__aioctl_should_offer_completions_for_flags_or_options "aioctl info" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'aioctl' -n '__aioctl_should_offer_completions_for_flags_or_options "aioctl help" version' -l 'version' -d 'Show the version.'
