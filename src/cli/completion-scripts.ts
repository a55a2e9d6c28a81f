// The bash and zsh completion scripts printed by `cairn completion <shell>`. As kubectl's, they
// hold no command tree of their own: at every Tab they ask `cairn __complete <words…>`, which
// answers from the command manifest of the very binary being run (and the controller, for names),
// so they never go stale. Answer format: see formatCompletion in completion.ts. Pure.
import {COMPLETE_COMMAND} from './completion.ts'

export const SHELLS = ['bash', 'zsh'] as const
export type Shell = (typeof SHELLS)[number]

// The line is split on blanks from COMP_LINE rather than taken from COMP_WORDS, which bash also
// splits at ':' and '=' (`--controllers host:3370`, `--nodes=n1`).
const bash = (bin: string): string => `# bash completion for ${bin}: source <(${bin} completion bash), or save as /etc/bash_completion.d/${bin}
_${bin}_complete() {
    local line=\${COMP_LINE:0:COMP_POINT}
    local -a words
    read -r -a words <<< "$line"
    [[ $line =~ [[:space:]]$ ]] && words+=("")
    local cur=\${words[\${#words[@]}-1]} out entry directive=:words
    out=$("\${words[0]}" ${COMPLETE_COMMAND} "\${words[@]:1}" 2>/dev/null) || return 0
    local -a candidates=()
    while IFS= read -r entry; do
        case $entry in
            :*) directive=$entry ;;
            ?*) candidates+=("\${entry%%$'\\t'*}") ;;
        esac
    done <<< "$out"
    # bash completes the part after '=' as a word of its own
    if [[ $cur == --*=* && $COMP_WORDBREAKS == *=* ]]; then
        candidates=("\${candidates[@]#"\${cur%%=*}="}")
    fi
    if (( \${#candidates[@]} )); then
        COMPREPLY=("\${candidates[@]}")
    elif [[ $directive == :files ]]; then
        compopt -o default 2>/dev/null
        COMPREPLY=()
    fi
}
complete -F _${bin}_complete ${bin}
`

const zsh = (bin: string): string => `#compdef ${bin}
# zsh completion for ${bin}: source <(${bin} completion zsh) after compinit, or save as _${bin} in a directory of $fpath
_${bin}() {
    local -a lines candidates
    local entry directive=:words
    lines=("\${(@f)$("\${words[1]}" ${COMPLETE_COMMAND} "\${(@)words[2,CURRENT]}" 2>/dev/null)}")
    for entry in "\${lines[@]}"; do
        case $entry in
            :*) directive=$entry ;;
            *$'\\t'*) candidates+=("\${\${entry%%$'\\t'*}//:/\\\\:}:\${entry#*$'\\t'}") ;;
            ?*) candidates+=("\${entry//:/\\\\:}") ;;
        esac
    done
    if (( \${#candidates} )); then
        _describe -t values ${bin} candidates
    elif [[ $directive == :files ]]; then
        _files
    fi
}
if [[ \${funcstack[1]} == _${bin} ]]; then _${bin} "$@"; else compdef _${bin} ${bin}; fi
`

export function completionScript(shell: Shell, bin: string): string {
  return shell === 'bash' ? bash(bin) : zsh(bin)
}
