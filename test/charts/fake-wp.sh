#!/usr/bin/env bash
# A stand-in for WP-CLI, for the tests of charts/woocommerce-store/files/setup.sh. WordPress's state
# lives in files under $WP_STATE; every call is appended to $WP_STATE/calls (readable) and
# $WP_STATE/argv (exact: \037 after each argument, \036 after each call).
#
# Arguments are parsed as WP-CLI parses them (php/WP_CLI/Configurator.php, extract_assoc): `--`
# ends the options; `--no-<k>`, `--<k>`, `--<k>=<v>`, `-<letter>` and `-<letter>=<v>` are options;
# everything else is positional (the image's WP-CLI 2.12 knows neither `--` nor `-<letter>` yet: both
# are stricter). Like WP-CLI, it fails on an option the emulated command does not know; it also
# fails on --exec and --require, which run PHP.
set -euo pipefail
s=${WP_STATE:?}
echo "$*" >>"$s/calls"
printf '%s\037' "$@" >>"$s/argv"
printf '\036' >>"$s/argv"

die() {
  echo "Error: $*" >&2
  exit 1
}

pos=() keys=() vals=()
end=0
for a in "$@"; do
  if [ "$end" = 1 ]; then
    pos+=("$a")
  elif [ "$a" = -- ]; then
    end=1
  elif [[ $a =~ ^--no-([^=]+)$ ]]; then
    keys+=("${BASH_REMATCH[1]}") vals+=(false)
  elif [[ $a =~ ^--([^=]+)$ ]]; then
    keys+=("${BASH_REMATCH[1]}") vals+=(true)
  elif [[ $a =~ ^--([^=]+)=(.*)$ ]]; then
    keys+=("${BASH_REMATCH[1]}") vals+=("${BASH_REMATCH[2]}")
  elif [[ $a =~ ^-([a-zA-Z])$ ]]; then
    keys+=("${BASH_REMATCH[1]}") vals+=(true)
  elif [[ $a =~ ^-([a-zA-Z])=(.*)$ ]]; then
    keys+=("${BASH_REMATCH[1]}") vals+=("${BASH_REMATCH[2]}")
  else
    pos+=("$a")
  fi
done

has() {
  local i
  for i in "${!keys[@]}"; do [ "${keys[$i]}" = "$1" ] && return 0; done
  return 1
}
get() {
  local i
  for i in "${!keys[@]}"; do [ "${keys[$i]}" = "$1" ] && printf '%s' "${vals[$i]}" && return 0; done
  return 1
}
set_opt() { keys+=("$1") vals+=("$2"); }

# WP-CLI's global parameters (php/config-spec.php) are accepted by every command.
global=" path url ssh http user skip-plugins skip-themes skip-packages context color debug prompt quiet "
# Local parameters of each command the script uses: only these, as in WP-CLI.
allowed() {
  local k local_opts=$1
  for k in "${keys[@]}"; do
    case $k in exec | require) die "--$k runs PHP: refused" ;; esac
    [[ $global == *" $k "* || " $local_opts " == *" $k "* ]] || die "unknown --$k parameter"
  done
  if has prompt && [ "${pos[0]} ${pos[1]}" != "core install" ]; then die "--prompt is only emulated for core install"; fi
}
positionals() { [ "${#pos[@]}" -le "$1" ] || die "Too many positional arguments: ${pos[*]:$1}"; }
user_ok() { [ "$(get user)" = "$ADMIN_USER" ] || die "not as admin: $*"; }

# The options --prompt=<a,b> names that are not given yet are read from stdin, one line each, in the
# order of the command's synopsis (php/WP_CLI/Dispatcher/Subcommand.php, prompt_args).
prompt_for() {
  local k line list
  list=$(get prompt) || return 0
  [ "$list" != true ] || die "--prompt without a list is not emulated"
  for k in "$@"; do
    if [[ ",$list," != *",$k,"* ]] || has "$k"; then continue; fi
    IFS= read -r line || [ -n "$line" ] || return 0
    set_opt "$k" "$line"
    prompted=1
  done
}
# After prompting, WP-CLI (2.12, Subcommand::invoke) logs the whole command on stdout, prompted
# values included: a password among them is not masked.
log_prompted() {
  local i line="wp ${pos[*]}"
  [ "${prompted:-}" = 1 ] || return 0
  for i in "${!keys[@]}"; do line+=" --${keys[$i]}='${vals[$i]}'"; done
  echo "$line"
}

cmd="${pos[0]:-} ${pos[1]:-}"
case $cmd in
  "core is-installed")
    allowed "network" && positionals 2
    [ -e "$s/installed" ] ;;
  "core install")
    allowed "url title admin_user admin_password admin_email locale skip-email" && positionals 2
    prompt_for url title admin_user admin_password admin_email locale
    for k in url title admin_user admin_email; do has "$k" || die "missing --$k parameter"; done
    log_prompted
    for k in title admin_user admin_password admin_email; do get "$k" >"$s/install-$k" || true; done
    touch "$s/installed" ;;
  "option update")
    allowed "autoload format" && positionals 4
    [ "${#pos[@]}" -ge 3 ] || die "usage: wp option update <key> [<value>]"
    mkdir -p "$s/options"
    # WP-CLI reads an omitted value from stdin, to the end, byte for byte.
    if [ "${#pos[@]}" = 4 ]; then printf '%s' "${pos[3]}" >"$s/options/${pos[2]}"; else cat >"$s/options/${pos[2]}"; fi ;;
  "rewrite structure") allowed "category-base tag-base hard" && positionals 3 ;;
  "rewrite flush") allowed "hard" && positionals 2 ;;
  "plugin is-active")
    allowed "network" && positionals 3
    [ -e "$s/active-${pos[2]:-}" ] ;;
  "plugin activate")
    allowed "all network exclude" && positionals 3
    touch "$s/active-${pos[2]:-}" ;;
  "wc tool")
    allowed "" && positionals 4 && user_ok "$@" ;;
  "wc payment_gateway")
    allowed "enabled" && positionals 4 && user_ok "$@"
    touch "$s/gateway-${pos[3]:-}" ;;
  "wc shipping_zone_method")
    if [ "${pos[2]:-}" = list ]; then
      allowed "format" && positionals 4 && user_ok "$@"
      cat "$s/methods" 2>/dev/null || true
    else
      allowed "method_id enabled settings" && positionals 4 && user_ok "$@"
      echo 1 >>"$s/methods"
    fi ;;
  "wc product")
    sku=$(get sku)
    if [ "${pos[2]:-}" = list ]; then
      allowed "sku format" && positionals 3 && user_ok "$@"
      cat "$s/sku-$sku" 2>/dev/null || true
    else
      allowed "name sku type regular_price status manage_stock stock_quantity description short_description porcelain" &&
        positionals 3 && user_ok "$@"
      n=$(($(cat "$s/next" 2>/dev/null || echo 100) + 1))
      echo "$n" >"$s/next"
      echo "$n" >"$s/sku-$sku"
      echo "$n"
    fi ;;
  "post meta")
    allowed "format" && positionals 5
    [ "${pos[2]:-}" = get ] && [ "${pos[4]:-}" = _thumbnail_id ] && cat "$s/thumb-${pos[3]:-}" 2>/dev/null ;;
  "media import")
    allowed "post_id featured_image title porcelain" && positionals 3 && user_ok "$@"
    [ -s "${pos[2]:-}" ] || die "no such file ${pos[2]:-}"
    echo 500 >"$s/thumb-$(get post_id)" ;;
  *) die "unexpected wp $*" ;;
esac
