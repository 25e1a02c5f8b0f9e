import type { Command } from 'commander';
import { UsageError } from '../usage-error.ts';

/** Every command path with the words that may follow it: subcommands, then options. */
function paths(cmd: Command, prefix = ''): [string, string[]][] {
  const words = [
    ...cmd.commands.map((c) => c.name()),
    ...cmd.options.flatMap((o) => [o.long, o.short].filter((x): x is string => !!x)),
    '--help',
  ];
  return [
    [prefix, words],
    ...cmd.commands.flatMap((c) => paths(c, prefix ? `${prefix} ${c.name()}` : c.name())),
  ];
}

/**
 * A bash completion script for the whole command tree (zsh runs it through bashcompinit): it
 * walks the words typed so far to the command they name and offers what may follow.
 */
export function completionScript(program: Command, shell: string): string {
  if (shell !== 'bash' && shell !== 'zsh') throw new UsageError(`completion for bash or zsh (got ${shell})`);
  const all = paths(program);
  const known = all.filter(([p]) => p !== '').map(([p]) => `"${p}"`);
  const cases = all.map(([p, words]) => `    "${p}") words="${words.join(' ')}" ;;`).join('\n');
  return `${shell === 'zsh' ? 'autoload -U +X bashcompinit && bashcompinit\n' : ''}# sluice completion (${shell}): eval "$(sluice completion ${shell})"
_sluice_complete() {
  local cur="\${COMP_WORDS[COMP_CWORD]}" key="" next w i words
  local known=(${known.join(' ')})
  for ((i = 1; i < COMP_CWORD; i++)); do
    w="\${COMP_WORDS[i]}"
    [[ "$w" == -* ]] && continue
    next="\${key:+$key }$w"
    for k in "\${known[@]}"; do [[ "$k" == "$next" ]] && key="$next" && break; done
  done
  case "$key" in
${cases}
    *) words="" ;;
  esac
  COMPREPLY=($(compgen -W "$words" -- "$cur"))
}
complete -o default -F _sluice_complete sluice
`;
}

/** `sluice completion bash|zsh`. */
export function addCompletionCommand(program: Command, out: (s: string) => void): void {
  program
    .command('completion')
    .description('print a shell completion script: eval "$(sluice completion bash)" (or zsh)')
    .argument('<shell>', 'bash or zsh')
    .action((shell: string) => out(completionScript(program, shell)));
}
