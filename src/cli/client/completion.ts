import type { Command } from 'commander';

/** Commands whose first argument is a store's name: completed from `stores list -o name`. */
const storeNameCommands = new Set([
  'stores rm',
  'stores get',
  'stores delete',
  'stores retry',
  'stores wait',
  'stores events',
  'stores credentials',
  'stores open',
]);

interface Node {
  path: string;
  /** Offered at Tab: the commands' own names. */
  subcommands: string[];
  /** Recognised on the line: the names and their aliases (`stores rm`). */
  known: string[];
  /** Every flag spelling (long and short) of the command, global ones included. */
  flags: string[];
  /** Flags that take a value, with their choices when they have some. */
  valued: Map<string, string[]>;
  /** The first argument's choices (e.g. `dev kind <up|down>`). */
  argChoices: string[];
}

function walk(cmd: Command, path: string, inherited: Command['options'], out: Node[]): void {
  const options = [...inherited, ...cmd.options];
  const valued = new Map<string, string[]>();
  const flags: string[] = ['--help'];
  for (const o of options) {
    for (const f of [o.long, o.short]) {
      if (!f) continue;
      flags.push(f);
      if (o.required || o.optional) valued.set(f, o.argChoices ?? []);
    }
  }
  const subs = cmd.commands.filter((c) => !(c as unknown as { _hidden?: boolean })._hidden);
  out.push({
    path,
    subcommands: subs.map((c) => c.name()),
    known: subs.flatMap((c) => [c.name(), ...c.aliases()]),
    flags: [...new Set(flags)],
    valued,
    argChoices: cmd.registeredArguments[0]?.argChoices ?? [],
  });
  for (const c of subs)
    for (const name of [c.name(), ...c.aliases()])
      walk(c, path ? `${path} ${name}` : name, path ? inherited : cmd.options, out);
}

const words = (xs: Iterable<string>) => [...xs].join(' ');

/**
 * A bash completion script generated from the command tree itself, so it cannot fall behind the
 * commands. Subcommands, flags (with the global ones), flag choices, argument choices and, for
 * the store commands, the names of your stores (asked of the API, quietly).
 */
export function bashCompletion(program: Command): string {
  const nodes: Node[] = [];
  walk(program, '', [], nodes);
  const bin = program.name();
  const fn = `_${bin.replace(/[^A-Za-z0-9_]/g, '_')}`;
  const cases = (pick: (n: Node) => string) =>
    nodes
      .map((n) => [n.path, pick(n)] as const)
      .filter(([, v]) => v)
      .map(([p, v]) => `    ${JSON.stringify(p)}) echo ${JSON.stringify(v)} ;;`)
      .join('\n');
  const valuedCases = nodes
    .flatMap((n) =>
      [...n.valued].map(
        ([flag, choices]) =>
          `    ${JSON.stringify(`${n.path}|${flag}`)}) echo ${JSON.stringify(`=${words(choices)}`)} ;;`,
      ),
    )
    .join('\n');
  return `# ${bin} completion for bash: source <(${bin} completion bash)
${fn}_subcommands() {
  case "$1" in
${cases((n) => words(n.subcommands))}
  esac
}
${fn}_known() {
  case "$1" in
${cases((n) => words(n.known))}
  esac
}
${fn}_flags() {
  case "$1" in
${cases((n) => words(n.flags))}
  esac
}
${fn}_arg_choices() {
  case "$1" in
${cases((n) => words(n.argChoices))}
  esac
}
# "=choices" when the flag takes a value (an empty list: any value), nothing when it does not.
${fn}_flag_value() {
  case "$1|$2" in
${valuedCases}
  esac
}
${fn}() {
  local cur="\${COMP_WORDS[COMP_CWORD]}" path="" i w subs skip=0 server=()
  for ((i = 1; i < COMP_CWORD; i++)); do
    w="\${COMP_WORDS[i]}"
    if ((skip)); then skip=0; continue; fi
    case "$w" in
      --server=*) server=("$w"); continue ;;
      --server) server=(--server "\${COMP_WORDS[i+1]}"); skip=1; continue ;;
      --*=*) continue ;;
      -*) [[ -n "$(${fn}_flag_value "$path" "$w")" ]] && skip=1; continue ;;
    esac
    subs=" $(${fn}_known "$path") "
    [[ "$subs" == *" $w "* ]] && path="\${path:+$path }$w"
  done
  local value
  value="$(${fn}_flag_value "$path" "\${COMP_WORDS[COMP_CWORD-1]}")"
  if ((COMP_CWORD > 1)) && [[ -n "$value" ]]; then
    value="\${value#=}"
    if [[ -n "$value" ]]; then COMPREPLY=($(compgen -W "$value" -- "$cur")); else COMPREPLY=($(compgen -f -- "$cur")); fi
    return 0
  fi
  if [[ "$cur" == -* ]]; then
    COMPREPLY=($(compgen -W "$(${fn}_flags "$path")" -- "$cur"))
    return 0
  fi
  subs="$(${fn}_subcommands "$path")"
  if [[ -n "$subs" ]]; then
    COMPREPLY=($(compgen -W "$subs" -- "$cur"))
  elif [[ -n "$(${fn}_arg_choices "$path")" ]]; then
    COMPREPLY=($(compgen -W "$(${fn}_arg_choices "$path")" -- "$cur"))
  else
    case "$path" in
      ${[...storeNameCommands].map((c) => JSON.stringify(c)).join('|')})
        COMPREPLY=($(compgen -W "$("\${COMP_WORDS[0]}" "\${server[@]}" stores list -o name 2>/dev/null)" -- "$cur")) ;;
    esac
  fi
  return 0
}
complete -o default -F ${fn} ${bin}
`;
}

/** zsh loads the same script through its bash-completion layer (bashcompinit). */
export function zshCompletion(program: Command): string {
  return `#compdef ${program.name()}
# ${program.name()} completion for zsh: source <(${program.name()} completion zsh)
autoload -U +X compinit && compinit
autoload -U +X bashcompinit && bashcompinit
${bashCompletion(program).split('\n').slice(1).join('\n')}`;
}
