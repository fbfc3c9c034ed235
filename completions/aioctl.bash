#!/bin/bash

__aioctl_cursor_index_in_current_word() {
    local remaining="${COMP_LINE}"

    local word
    for word in "${COMP_WORDS[@]::COMP_CWORD}"; do
        remaining="${remaining##*([[:space:]])"${word}"*([[:space:]])}"
    done

    local -ir index="$((COMP_POINT - ${#COMP_LINE} + ${#remaining}))"
    if [[ "${index}" -le 0 ]]; then
        printf 0
    else
        printf %s "${index}"
    fi
}

# positional arguments:
#
# - 1: the current (sub)command's count of positional arguments
#
# required variables:
#
# - repeating_flags: the repeating flags that the current (sub)command can accept
# - non_repeating_flags: the non-repeating flags that the current (sub)command can accept
# - repeating_options: the repeating options that the current (sub)command can accept
# - non_repeating_options: the non-repeating options that the current (sub)command can accept
# - positional_number: value ignored
# - unparsed_words: unparsed words from the current command line
#
# modified variables:
#
# - non_repeating_flags: remove flags for this (sub)command that are already on the command line
# - non_repeating_options: remove options for this (sub)command that are already on the command line
# - positional_number: set to the current positional number
# - unparsed_words: remove all flags, options, and option values for this (sub)command
__aioctl_offer_flags_options() {
    local -ir positional_count="${1}"
    positional_number=0

    local was_flag_option_terminator_seen=false
    local is_parsing_option_value=false

    local -ar unparsed_word_indices=("${!unparsed_words[@]}")
    local -i word_index
    for word_index in "${unparsed_word_indices[@]}"; do
        if "${is_parsing_option_value}"; then
            # This word is an option value:
            # Reset marker for next word iff not currently the last word
            [[ "${word_index}" -ne "${unparsed_word_indices[${#unparsed_word_indices[@]} - 1]}" ]] && is_parsing_option_value=false
            unset "unparsed_words[${word_index}]"
            # Do not process this word as a flag or an option
            continue
        fi

        local word="${unparsed_words["${word_index}"]}"
        if ! "${was_flag_option_terminator_seen}"; then
            case "${word}" in
            --)
                unset "unparsed_words[${word_index}]"
                # by itself -- is a flag/option terminator, but if it is the last word, it is the start of a completion
                if [[ "${word_index}" -ne "${unparsed_word_indices[${#unparsed_word_indices[@]} - 1]}" ]]; then
                    was_flag_option_terminator_seen=true
                fi
                continue
                ;;
            -*)
                # ${word} is a flag or an option
                # If ${word} is an option, mark that the next word to be parsed is an option value
                local option
                for option in "${repeating_options[@]}" "${non_repeating_options[@]}"; do
                    [[ "${word}" = "${option}" ]] && is_parsing_option_value=true && break
                done

                # Remove ${word} from ${non_repeating_flags} or ${non_repeating_options} so it isn't offered again
                local not_found=true
                local -i index
                for index in "${!non_repeating_flags[@]}"; do
                    if [[ "${non_repeating_flags[${index}]}" = "${word}" ]]; then
                        unset "non_repeating_flags[${index}]"
                        non_repeating_flags=("${non_repeating_flags[@]}")
                        not_found=false
                        break
                    fi
                done
                if "${not_found}"; then
                    for index in "${!non_repeating_flags[@]}"; do
                        if [[ "${non_repeating_flags[${index}]}" = "${word}" ]]; then
                            unset "non_repeating_flags[${index}]"
                            non_repeating_flags=("${non_repeating_flags[@]}")
                            break
                        fi
                    done
                fi
                unset "unparsed_words[${word_index}]"
                continue
                ;;
            esac
        fi

        # ${word} is neither a flag, nor an option, nor an option value
        if [[ "${positional_number}" -lt "${positional_count}" || "${positional_count}" -lt 0 ]]; then
            # ${word} is a positional
            ((positional_number++))
            unset "unparsed_words[${word_index}]"
        else
            if [[ -z "${word}" ]]; then
                # Could be completing a flag, option, or subcommand
                positional_number=-1
            else
                # ${word} is a subcommand or invalid, so stop processing this (sub)command
                positional_number=-2
            fi
            break
        fi
    done

    unparsed_words=("${unparsed_words[@]}")

    if\
        ! "${was_flag_option_terminator_seen}"\
        && ! "${is_parsing_option_value}"\
        && [[ ("${cur}" = -* && "${positional_number}" -ge 0) || "${positional_number}" -eq -1 ]]
    then
        COMPREPLY+=($(compgen -W "${repeating_flags[*]} ${non_repeating_flags[*]} ${repeating_options[*]} ${non_repeating_options[*]}" -- "${cur}"))
    fi
}

__aioctl_add_completions() {
    local completion
    while IFS='' read -r completion; do
        COMPREPLY+=("${completion}")
    done < <(IFS=$'\n' compgen "${@}" -- "${cur}")
}

__aioctl_custom_complete() {
    if [[ -n "${cur}" || -z ${COMP_WORDS[${COMP_CWORD}]} || "${COMP_LINE:${COMP_POINT}:1}" != ' ' ]]; then
        local -ar words=("${COMP_WORDS[@]}")
    else
        local -ar words=("${COMP_WORDS[@]::${COMP_CWORD}}" '' "${COMP_WORDS[@]:${COMP_CWORD}}")
    fi

    "${COMP_WORDS[0]}" "${@}" "${words[@]}"
}

_aioctl() {
    local state
    state="$(shopt -p;shopt -po)"
    trap "${state//$'\n'/;}" RETURN
    shopt -s extglob
    set +o history +o posix

    local -xr SAP_SHELL=bash
    local -x SAP_SHELL_VERSION
    SAP_SHELL_VERSION="$(IFS='.';printf %s "${BASH_VERSINFO[*]}")"
    local -r SAP_SHELL_VERSION

    local -r cur="${2}"
    local -r prev="${3}"

    local -i positional_number
    local -a unparsed_words=("${COMP_WORDS[@]:1:${COMP_CWORD}}")

    local -a repeating_flags=()
    local -a non_repeating_flags=(--version -h --help)
    local -a repeating_options=()
    local -a non_repeating_options=()
    __aioctl_offer_flags_options 0

    # Offer subcommand / subcommand argument completions
    local -r subcommand="${unparsed_words[0]}"
    unset 'unparsed_words[0]'
    unparsed_words=("${unparsed_words[@]}")
    case "${subcommand}" in
    cancel|check|spec|review|run|shell|setup|submit|getevents|destroy|race|bench|info|diff|help)
        # Offer subcommand argument completions
        "_aioctl_${subcommand}"
        ;;
    *)
        # Offer subcommand completions
        COMPREPLY+=($(compgen -W 'cancel check spec review run shell setup submit getevents destroy race bench info diff help' -- "${cur}"))
        ;;
    esac
}

_aioctl_cancel() {
    repeating_flags=()
    non_repeating_flags=(--poll --read --nowait --ready --print-script --json --quiet -q --version -h --help)
    repeating_options=()
    non_repeating_options=(--events --length --offset --after --unblock --reap-timeout --nr-events --count --via --expect --color --timeout)
    __aioctl_offer_flags_options 1

    # Offer option value completions
    case "${prev}" in
    '--events')
        __aioctl_add_completions -W 'in'$'\n''pri'$'\n''out'$'\n''err'$'\n''hup'$'\n''nval'$'\n''rdnorm'$'\n''rdband'$'\n''wrnorm'$'\n''wrband'$'\n''msg'$'\n''rdhup'
        return
        ;;
    '--length')
        return
        ;;
    '--offset')
        return
        ;;
    '--after')
        __aioctl_add_completions -W 'never'$'\n''0'$'\n''10ms'
        return
        ;;
    '--unblock')
        __aioctl_add_completions -W 'write'$'\n''close'$'\n''none'
        return
        ;;
    '--reap-timeout')
        return
        ;;
    '--nr-events')
        return
        ;;
    '--count')
        return
        ;;
    '--via')
        __aioctl_add_completions -W 'libaio'$'\n''syscall'
        return
        ;;
    '--expect')
        __aioctl_add_completions -W 'kapi'$'\n''man2'$'\n''libaio'
        return
        ;;
    '--color')
        __aioctl_add_completions -W 'auto'$'\n''always'$'\n''never'
        return
        ;;
    '--timeout')
        return
        ;;
    esac

    # Offer positional completions
    case "${positional_number}" in
    1)
        __aioctl_add_completions -W "$(__aioctl_custom_complete ---completion cancel -- positional@0 "${COMP_CWORD}" "$(__aioctl_cursor_index_in_current_word)")"
        return
        ;;
    esac
}

_aioctl_check() {
    repeating_flags=()
    non_repeating_flags=(--list --verbose -v --json --quiet -q --version -h --help)
    repeating_options=()
    non_repeating_options=(--via --expect --filter --format --jobs --print-script --color)
    __aioctl_offer_flags_options 0

    # Offer option value completions
    case "${prev}" in
    '--via')
        __aioctl_add_completions -W 'libaio'$'\n''syscall'$'\n''both'
        return
        ;;
    '--expect')
        __aioctl_add_completions -W 'kapi'$'\n''man2'$'\n''libaio'
        return
        ;;
    '--filter')
        __aioctl_add_completions -W "$(__aioctl_custom_complete ---completion check -- --filter "${COMP_CWORD}" "$(__aioctl_cursor_index_in_current_word)")"
        return
        ;;
    '--format')
        __aioctl_add_completions -W 'text'$'\n''ktap'$'\n''tap'$'\n''json'
        return
        ;;
    '--jobs')
        return
        ;;
    '--print-script')
        return
        ;;
    '--color')
        __aioctl_add_completions -W 'auto'$'\n''always'$'\n''never'
        return
        ;;
    esac
}

_aioctl_spec() {
    repeating_flags=()
    non_repeating_flags=(--json --version -h --help)
    repeating_options=(--kapi)
    non_repeating_options=(--color)
    __aioctl_offer_flags_options -1

    # Offer option value completions
    case "${prev}" in
    '--kapi')
        __aioctl_add_completions -f
        return
        ;;
    '--color')
        __aioctl_add_completions -W 'auto'$'\n''always'$'\n''never'
        return
        ;;
    esac

    # Offer positional completions
    case "${positional_number}" in
    *)
        __aioctl_add_completions -W 'io_setup'$'\n''io_destroy'$'\n''io_submit'$'\n''io_cancel'$'\n''io_getevents'$'\n''io_pgetevents'
        return
        ;;
    esac
}

_aioctl_review() {
    repeating_flags=()
    non_repeating_flags=(--json --quiet -q --version -h --help)
    repeating_options=()
    non_repeating_options=(--format --jobs)
    __aioctl_offer_flags_options -1

    # Offer option value completions
    case "${prev}" in
    '--format')
        __aioctl_add_completions -W 'text'$'\n''json'$'\n''markdown'
        return
        ;;
    '--jobs')
        return
        ;;
    esac

    # Offer positional completions
    case "${positional_number}" in
    *)
        __aioctl_add_completions -f
        return
        ;;
    esac
}

_aioctl_run() {
    repeating_flags=()
    non_repeating_flags=(--keep-going --json --quiet -q --version -h --help)
    repeating_options=()
    non_repeating_options=(--via --expect --color --timeout)
    __aioctl_offer_flags_options 1

    # Offer option value completions
    case "${prev}" in
    '--via')
        __aioctl_add_completions -W 'libaio'$'\n''syscall'
        return
        ;;
    '--expect')
        __aioctl_add_completions -W 'kapi'$'\n''man2'$'\n''libaio'
        return
        ;;
    '--color')
        __aioctl_add_completions -W 'auto'$'\n''always'$'\n''never'
        return
        ;;
    '--timeout')
        return
        ;;
    esac

    # Offer positional completions
    case "${positional_number}" in
    1)
        __aioctl_add_completions -o plusdirs -fX '!*.@(aio)'
        return
        ;;
    esac
}

_aioctl_shell() {
    repeating_flags=()
    non_repeating_flags=(--keep-going --json --quiet -q --version -h --help)
    repeating_options=()
    non_repeating_options=(--via --expect --color --timeout)
    __aioctl_offer_flags_options 0

    # Offer option value completions
    case "${prev}" in
    '--via')
        __aioctl_add_completions -W 'libaio'$'\n''syscall'
        return
        ;;
    '--expect')
        __aioctl_add_completions -W 'kapi'$'\n''man2'$'\n''libaio'
        return
        ;;
    '--color')
        __aioctl_add_completions -W 'auto'$'\n''always'$'\n''never'
        return
        ;;
    '--timeout')
        return
        ;;
    esac
}

_aioctl_setup() {
    repeating_flags=()
    non_repeating_flags=(--verbose -v --print-script --json --quiet -q --version -h --help)
    repeating_options=()
    non_repeating_options=(--ctxp --preset --via --expect --color)
    __aioctl_offer_flags_options 1

    # Offer option value completions
    case "${prev}" in
    '--ctxp')
        __aioctl_add_completions -W 'valid'$'\n''null'$'\n''unmapped'$'\n''readonly'
        return
        ;;
    '--preset')
        return
        ;;
    '--via')
        __aioctl_add_completions -W 'libaio'$'\n''syscall'
        return
        ;;
    '--expect')
        __aioctl_add_completions -W 'kapi'$'\n''man2'$'\n''libaio'
        return
        ;;
    '--color')
        __aioctl_add_completions -W 'auto'$'\n''always'$'\n''never'
        return
        ;;
    esac
}

_aioctl_submit() {
    repeating_flags=()
    non_repeating_flags=(--ready --verbose -v --print-script --json --quiet -q --version -h --help)
    repeating_options=()
    non_repeating_options=(--op --events --length --offset --rw-flags --reserved2 --nr --copies --reap-timeout --via --expect --color)
    __aioctl_offer_flags_options 1

    # Offer option value completions
    case "${prev}" in
    '--op')
        __aioctl_add_completions -W 'poll'$'\n''pread'$'\n''pwrite'$'\n''preadv'$'\n''pwritev'$'\n''fsync'$'\n''fdsync'$'\n''noop'$'\n''opcode'
        return
        ;;
    '--events')
        return
        ;;
    '--length')
        return
        ;;
    '--offset')
        return
        ;;
    '--rw-flags')
        return
        ;;
    '--reserved2')
        return
        ;;
    '--nr')
        return
        ;;
    '--copies')
        return
        ;;
    '--reap-timeout')
        return
        ;;
    '--via')
        __aioctl_add_completions -W 'libaio'$'\n''syscall'
        return
        ;;
    '--expect')
        __aioctl_add_completions -W 'kapi'$'\n''man2'$'\n''libaio'
        return
        ;;
    '--color')
        __aioctl_add_completions -W 'auto'$'\n''always'$'\n''never'
        return
        ;;
    esac

    # Offer positional completions
    case "${positional_number}" in
    1)
        __aioctl_add_completions -W "$(__aioctl_custom_complete ---completion submit -- positional@0 "${COMP_CWORD}" "$(__aioctl_cursor_index_in_current_word)")"
        return
        ;;
    esac
}

_aioctl_getevents() {
    repeating_flags=()
    non_repeating_flags=(--verbose -v --print-script --json --quiet -q --version -h --help)
    repeating_options=()
    non_repeating_options=(--min --max --timeout --events-pointer --ready --pending --via --expect --color)
    __aioctl_offer_flags_options 0

    # Offer option value completions
    case "${prev}" in
    '--min')
        return
        ;;
    '--max')
        return
        ;;
    '--timeout')
        return
        ;;
    '--events-pointer')
        return
        ;;
    '--ready')
        return
        ;;
    '--pending')
        return
        ;;
    '--via')
        __aioctl_add_completions -W 'libaio'$'\n''syscall'
        return
        ;;
    '--expect')
        __aioctl_add_completions -W 'kapi'$'\n''man2'$'\n''libaio'
        return
        ;;
    '--color')
        __aioctl_add_completions -W 'auto'$'\n''always'$'\n''never'
        return
        ;;
    esac
}

_aioctl_destroy() {
    repeating_flags=()
    non_repeating_flags=(--pending-poll --verbose -v --print-script --json --quiet -q --version -h --help)
    repeating_options=()
    non_repeating_options=(--ctx --via --expect --color)
    __aioctl_offer_flags_options 0

    # Offer option value completions
    case "${prev}" in
    '--ctx')
        __aioctl_add_completions -W 'valid'$'\n''destroyed'$'\n''0'$'\n''garbage'$'\n''unmapped'
        return
        ;;
    '--via')
        __aioctl_add_completions -W 'libaio'$'\n''syscall'
        return
        ;;
    '--expect')
        __aioctl_add_completions -W 'kapi'$'\n''man2'$'\n''libaio'
        return
        ;;
    '--color')
        __aioctl_add_completions -W 'auto'$'\n''always'$'\n''never'
        return
        ;;
    esac
}

_aioctl_race() {
    repeating_flags=()
    non_repeating_flags=(--json --quiet -q --version -h --help)
    repeating_options=()
    non_repeating_options=(--target --cancel-after --ready-after --sweep --iterations --duration --reap-timeout --plot --via --color)
    __aioctl_offer_flags_options 0

    # Offer option value completions
    case "${prev}" in
    '--target')
        __aioctl_add_completions -W 'pipe'$'\n''socketpair'$'\n''eventfd'
        return
        ;;
    '--cancel-after')
        return
        ;;
    '--ready-after')
        return
        ;;
    '--sweep')
        return
        ;;
    '--iterations')
        return
        ;;
    '--duration')
        return
        ;;
    '--reap-timeout')
        return
        ;;
    '--plot')
        __aioctl_add_completions -f
        return
        ;;
    '--via')
        __aioctl_add_completions -W 'libaio'$'\n''syscall'
        return
        ;;
    '--color')
        __aioctl_add_completions -W 'auto'$'\n''always'$'\n''never'
        return
        ;;
    esac
}

_aioctl_bench() {
    repeating_flags=()
    non_repeating_flags=(--direct --json --quiet -q --json+ --version -h --help)
    repeating_options=()
    non_repeating_options=(--file --size --bs --iodepth --rw --batch-submit --batch-complete --batch-complete-max --runtime --ios --via --output-format --color)
    __aioctl_offer_flags_options 0

    # Offer option value completions
    case "${prev}" in
    '--file')
        __aioctl_add_completions -f
        return
        ;;
    '--size')
        return
        ;;
    '--bs')
        return
        ;;
    '--iodepth')
        return
        ;;
    '--rw')
        __aioctl_add_completions -W 'read'$'\n''randread'$'\n''write'$'\n''randwrite'
        return
        ;;
    '--batch-submit')
        return
        ;;
    '--batch-complete')
        return
        ;;
    '--batch-complete-max')
        return
        ;;
    '--runtime')
        return
        ;;
    '--ios')
        return
        ;;
    '--via')
        __aioctl_add_completions -W 'libaio'$'\n''syscall'
        return
        ;;
    '--output-format')
        __aioctl_add_completions -W 'normal'$'\n''json'$'\n''json+'
        return
        ;;
    '--color')
        __aioctl_add_completions -W 'auto'$'\n''always'$'\n''never'
        return
        ;;
    esac
}

_aioctl_info() {
    repeating_flags=()
    non_repeating_flags=(--json --quiet -q --version -h --help)
    repeating_options=()
    non_repeating_options=(--nr-events --via)
    __aioctl_offer_flags_options 0

    # Offer option value completions
    case "${prev}" in
    '--nr-events')
        return
        ;;
    '--via')
        __aioctl_add_completions -W 'libaio'$'\n''syscall'
        return
        ;;
    esac
}

_aioctl_diff() {
    repeating_flags=()
    non_repeating_flags=(--json --quiet -q --version -h --help)
    repeating_options=()
    non_repeating_options=(--format --min-runs)
    __aioctl_offer_flags_options -1

    # Offer option value completions
    case "${prev}" in
    '--format')
        __aioctl_add_completions -W 'text'$'\n''markdown'$'\n''json'
        return
        ;;
    '--min-runs')
        return
        ;;
    esac
}

_aioctl_help() {
    repeating_flags=()
    non_repeating_flags=(--version)
    repeating_options=()
    non_repeating_options=()
    __aioctl_offer_flags_options -1
    COMPREPLY+=($(compgen -W 'cancel check spec review run shell setup submit getevents destroy race bench info diff' -- "${cur}"))
}

complete -o filenames -F _aioctl aioctl
