#!/usr/bin/env bash
# Publishes the static site of a git commit as releases/backups/<timestamp>/,
# points releases/current and the entry page releases/index.html at it, keeps
# every release as a backup and rolls back in one command. Run ./deploy.sh --help.
set -euo pipefail
export LC_ALL=C # byte-order sorting of release names, stable tool messages

readonly USAGE='Usage:
  ./deploy.sh [--wait SECONDS] [--keep N] [COMMIT-ISH]   publish COMMIT-ISH (default: HEAD)
  ./deploy.sh --rollback [TIMESTAMP] [--keep N]           switch back to an earlier release
  ./deploy.sh --list                                      list releases, marking the current one
  ./deploy.sh --keep N                                    only prune: keep the N newest releases
  ./deploy.sh --help

Publishing exports the commit (git archive, never the working tree), keeps only
what the page needs at run time (index.html, assets/, exports/, favicon.svg,
LICENSE), validates it (importmap modules, the files index.html loads, and
every export under exports/, checked under Node by the page modules themselves),
stores it as releases/backups/<UTC timestamp>/ with a .commit file, then points
the symlink releases/current and the entry page releases/index.html at it, each
with one atomic rename. Serve it with
  python -m http.server --directory releases
Visitors open / and are forwarded to /backups/<timestamp>/, so an open page
keeps reading its own release while others are published.

Options:
  --rollback [TIMESTAMP]  make releases/backups/TIMESTAMP current
                          (default: the release before the current one)
  --list                  releases, oldest first: timestamp, commit, what was asked for
  --keep N                after publishing or rolling back (or alone), delete all but
                          the N newest releases (1 to 10000); the current release is
                          always kept
  --wait SECONDS          how long to wait for another running deploy.sh, 0 to 86400
                          (default 60)
  -h, --help              this text

Exit status: 0 done, 1 failed (nothing changed), 2 bad usage.'

# Everything the page may need at run time; the rest of the tree never ships.
readonly SITE_ALLOWLIST=(index.html assets exports favicon.svg LICENSE)
readonly RELEASE_NAME_PATTERN='^[0-9]{8}T[0-9]{6}Z$'
readonly KEEP_MAX=10000 WAIT_MAX=86400

REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd -P)
readonly REPO
readonly RELEASES="$REPO/releases"
readonly BACKUPS="$RELEASES/backups"
readonly CURRENT="$RELEASES/current"
readonly STAGING="$RELEASES/.deploy_tmp"
readonly NEXT_LINK="$RELEASES/.current.tmp"
readonly ENTRY_PAGE="$RELEASES/index.html"
readonly NEXT_ENTRY_PAGE="$RELEASES/.index.html.tmp"
readonly ENTRY_SCRIPT="$RELEASES/forward.js"
readonly NEXT_ENTRY_SCRIPT="$RELEASES/.forward.js.tmp"
readonly LOCK_FILE="$RELEASES/.deploy.lock"
readonly VALIDATOR="$REPO/scripts/validate_site.py"
readonly EXPORT_CHECKER="$REPO/scripts/check-exports.mjs"
readonly FORWARDER="$REPO/scripts/forward-to-release.js"

# Paths a failed run must delete so that it leaves nothing half-done.
undo_paths=()
lock_held=0

die() {
    printf 'deploy.sh: %s\n' "$*" >&2
    exit 1
}

usage_error() {
    printf 'deploy.sh: %s (see ./deploy.sh --help)\n' "$*" >&2
    exit 2
}

say() {
    printf 'deploy.sh: %s\n' "$*"
}

clean_up() {
    local path live
    live=$(current_release)
    for path in "${undo_paths[@]}"; do
        # Once releases/current points at a new release it is published: never undo that.
        if [[ -n $live && $path == "$BACKUPS/$live" ]]; then continue; fi
        rm -rf -- "$path"
    done
}

require_tool() {
    command -v "$1" >/dev/null 2>&1 || die "$1 is not installed: it is needed $2"
}

require_tool_file() {
    [[ -f $1 ]] || die "$1 is missing: deploy.sh needs it $2"
}

# Prints the value of option $1 if $2 is a whole number from $3 to $4 (decimal digits
# only). The text is checked before any arithmetic, so no value can wrap around.
bounded_number() {
    local option=$1 value=$2 min=$3 max=$4 digits=''
    if [[ $value =~ ^0*([0-9]+)$ ]]; then digits=${BASH_REMATCH[1]}; fi
    if [[ -z $digits ]] || ((${#digits} > ${#max})) || ((10#$digits < min || 10#$digits > max)); then
        usage_error "$option needs a whole number from $min to $max, got '$value'"
    fi
    printf '%s\n' "$((10#$digits))"
}

acquire_lock() {
    if ((lock_held)); then return; fi
    require_tool_file "$FORWARDER" "as the entry page's script (releases/forward.js)"
    mkdir -p "$BACKUPS" || die "cannot create $BACKUPS"
    exec 9>>"$LOCK_FILE" || die "cannot open the lock file $LOCK_FILE"
    if ! flock -n 9; then
        say "another deploy.sh holds releases/.deploy.lock; waiting up to ${wait_seconds}s" >&2
        flock -w "$wait_seconds" 9 ||
            die "gave up after ${wait_seconds}s: another deploy.sh still holds releases/.deploy.lock (retry, or pass --wait SECONDS)"
    fi
    lock_held=1
    # Leftovers of a run that was killed (power cut, kill -9) are safe to drop now,
    # and an entry page left behind by a run killed between its two renames is redone.
    rm -rf -- "$STAGING" "$NEXT_LINK" "$NEXT_ENTRY_PAGE" "$NEXT_ENTRY_SCRIPT" "$RELEASES"/.pruning.*
    sync_entry_point
}

release_names() {
    local dir name
    for dir in "$BACKUPS"/*/; do
        name=$(basename "$dir")
        if [[ $name =~ $RELEASE_NAME_PATTERN ]]; then
            printf '%s\n' "$name"
        fi
    done
}

current_release() {
    if [[ -L $CURRENT ]]; then
        basename "$(readlink "$CURRENT")"
    fi
}

commit_field() {
    local release=$1 wanted=$2 key value
    [[ -f $BACKUPS/$release/.commit ]] || return 0
    while IFS='=' read -r key value; do
        if [[ $key == "$wanted" ]]; then
            printf '%s' "$value"
            return
        fi
    done <"$BACKUPS/$release/.commit"
}

ensure_current_is_switchable() {
    if [[ -e $CURRENT && ! -L $CURRENT ]]; then
        die "$CURRENT is a real directory, not a symlink: move it away (deploy.sh manages it as a link to backups/<timestamp>)"
    fi
}

# The page a visitor opens at / when releases/ is served: it forwards to the
# release's own folder, which never changes while it is kept, so a page that is
# open keeps reading the release it started with. No inline script (the page's
# Content-Security-Policy allows none): forward.js keeps ?query and #hash; without
# scripts the meta refresh (and the link) go to the release without them.
entry_page() {
    local url="backups/$1/"
    cat <<EOF
<!doctype html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <meta http-equiv="Content-Security-Policy" content="default-src 'none'; script-src 'self'; base-uri 'none'; form-action 'none'">
  <meta name="viewport" content="width=device-width, initial-scale=1">
  <title>See a neural network learn</title>
  <noscript><meta http-equiv="refresh" content="0; url=$url"></noscript>
</head>
<body>
  <p>Opening release $1: <a id="release" href="$url">continue</a>.</p>
  <script src="forward.js"></script>
</body>
</html>
EOF
}

# Writes the entry page for release $1 (and forward.js when it differs) beside
# their final names; commit_entry_point renames them into place.
stage_entry_point() {
    undo_paths+=("$NEXT_ENTRY_PAGE" "$NEXT_ENTRY_SCRIPT")
    entry_page "$1" >"$NEXT_ENTRY_PAGE" ||
        die "cannot write $NEXT_ENTRY_PAGE (disk full or not writable?); releases/current untouched"
    if ! cmp -s "$FORWARDER" "$ENTRY_SCRIPT"; then
        cp "$FORWARDER" "$NEXT_ENTRY_SCRIPT" ||
            die "cannot write $NEXT_ENTRY_SCRIPT (disk full or not writable?); releases/current untouched"
    fi
}

commit_entry_point() {
    local why="visitors of / reach the previous release until a deploy.sh run can write it"
    if [[ -e $NEXT_ENTRY_SCRIPT ]]; then
        mv -T "$NEXT_ENTRY_SCRIPT" "$ENTRY_SCRIPT" || die "releases/current -> $(readlink "$CURRENT"), but $ENTRY_SCRIPT could not be replaced: $why"
    fi
    mv -T "$NEXT_ENTRY_PAGE" "$ENTRY_PAGE" || die "releases/current -> $(readlink "$CURRENT"), but $ENTRY_PAGE could not be replaced: $why"
}

# Makes releases/index.html forward to the current release if it does not already.
sync_entry_point() {
    local current
    current=$(current_release)
    [[ -n $current && -d $BACKUPS/$current ]] || return 0
    if [[ -f $ENTRY_PAGE && $(<"$ENTRY_PAGE") == "$(entry_page "$current")" ]] && cmp -s "$FORWARDER" "$ENTRY_SCRIPT"; then
        return 0
    fi
    stage_entry_point "$current"
    commit_entry_point
}

# The atomic steps: rename(2) replaces the link, then the entry page, so a server
# sees either the old release or the new one, never neither. Everything that can
# fail (writing) happens before the first rename.
switch_current_to() {
    undo_paths+=("$NEXT_LINK")
    ln -s "backups/$1" "$NEXT_LINK"
    stage_entry_point "$1"
    mv -T "$NEXT_LINK" "$CURRENT"
    commit_entry_point
}

# Release names are whole seconds; waiting out the second keeps them unique and
# in deploy order (the lock guarantees nobody else is naming one meanwhile).
new_release_name() {
    local name
    name=$(date -u +%Y%m%dT%H%M%SZ)
    while [[ -e $BACKUPS/$name ]]; do
        sleep 0.2
        name=$(date -u +%Y%m%dT%H%M%SZ)
    done
    printf '%s\n' "$name"
}

require_repository() {
    local top
    top=$(git -C "$REPO" rev-parse --show-toplevel 2>/dev/null) ||
        die "$REPO is not a git repository: deploy.sh publishes commits, so it must sit at the top of a clone"
    [[ $(cd "$top" && pwd -P) == "$REPO" ]] ||
        die "deploy.sh must sit at the top of the work tree ($top), not in $REPO"
}

resolve_commit() {
    git -C "$REPO" rev-parse --verify --quiet --end-of-options "$1^{commit}" ||
        die "unknown commit-ish '$1': no such commit, branch or tag in $REPO"
}

# Top-level entries of the commit that are on the allowlist.
site_paths_of() {
    local listing entry allowed
    listing=$(git -C "$REPO" ls-tree --name-only "$1") || die "cannot list the tree of commit $1"
    while IFS= read -r entry; do
        for allowed in "${SITE_ALLOWLIST[@]}"; do
            if [[ $entry == "$allowed" ]]; then
                printf '%s\n' "$entry"
            fi
        done
    done <<<"$listing"
}

export_site() {
    local commit=$1 paths_text
    local -a paths=()
    paths_text=$(site_paths_of "$commit")
    if [[ -n $paths_text ]]; then
        mapfile -t paths <<<"$paths_text"
    fi
    mkdir "$STAGING" || die "cannot create the staging folder $STAGING"
    ((${#paths[@]})) || return 0 # nothing to copy: validation names what is missing
    git -C "$REPO" -c tar.umask=0022 archive --format=tar "$commit" -- "${paths[@]}" | tar -x --no-same-owner -C "$STAGING" ||
        die "could not export $commit into $STAGING (disk full or not writable?); releases/current untouched"
}

# Prints one line per problem and exits 1 if the staged site cannot work.
validate_site() {
    python3 "$VALIDATOR" "$1" --label "$2"
}

deploy() {
    local asked=$1 commit name subject
    require_tool git "to export the commit"
    require_tool tar "to unpack the exported commit"
    require_tool python3 "to validate the site before publishing"
    require_tool node "to check the exports with the page's own modules before publishing (Node 20 or newer)"
    require_tool_file "$VALIDATOR" "to validate the site before publishing"
    require_tool_file "$EXPORT_CHECKER" "to check the exports before publishing"
    require_tool_file "$FORWARDER" "as the entry page's script (releases/forward.js)"
    require_repository
    commit=$(resolve_commit "$asked")
    subject=$(git -C "$REPO" log -1 --format=%s "$commit")
    ensure_current_is_switchable
    acquire_lock

    undo_paths+=("$STAGING")
    export_site "$commit"
    validate_site "$STAGING" "$asked" ||
        die "$asked (${commit:0:12}) failed validation; releases/current untouched"
    printf 'commit=%s\nrequested=%s\ndeployed_utc=%s\nsubject=%s\n' \
        "$commit" "$asked" "$(date -u +%Y-%m-%dT%H:%M:%SZ)" "$subject" >"$STAGING/.commit"

    name=$(new_release_name)
    undo_paths+=("$BACKUPS/$name")
    mv -T "$STAGING" "$BACKUPS/$name"
    switch_current_to "$name"
    undo_paths=()
    say "published $asked (${commit:0:12}) as releases/backups/$name; releases/current -> backups/$name"
}

rollback() {
    local target=$1 current name
    if [[ -n $target && ! $target =~ $RELEASE_NAME_PATTERN ]]; then
        usage_error "--rollback needs a release timestamp like 20261122T093000Z, got '$target'"
    fi
    ensure_current_is_switchable
    acquire_lock
    current=$(current_release)
    if [[ -z $target ]]; then
        [[ -n $current ]] || die "nothing is published yet (no releases/current): deploy first"
        while IFS= read -r name; do
            if [[ $name < $current ]]; then target=$name; fi
        done < <(release_names)
        [[ -n $target ]] || die "no release older than $current to roll back to (see ./deploy.sh --list)"
    fi
    [[ -d $BACKUPS/$target ]] || die "no release $target in releases/backups (see ./deploy.sh --list)"
    if [[ $target == "$current" ]]; then
        say "$target is already current; nothing to do"
        return
    fi
    switch_current_to "$target"
    undo_paths=()
    say "rolled back: releases/current -> backups/$target ($(commit_field "$target" requested), $(commit_field "$target" commit | cut -c1-12)), was ${current:-nothing}"
}

list_releases() {
    local current name marker names
    current=$(current_release)
    names=$(release_names)
    if [[ -z $names ]]; then
        say "no releases yet in releases/backups"
        return
    fi
    while IFS= read -r name; do
        marker=' '
        if [[ $name == "$current" ]]; then marker='*'; fi
        printf '%s %s  %-12.12s  %-20s  %s\n' "$marker" "$name" "$(commit_field "$name" commit)" \
            "$(commit_field "$name" requested)" "$(commit_field "$name" subject)"
    done <<<"$names"
    [[ -n $current ]] || say "no release is current (releases/current is missing)"
}

prune() {
    local keep=$1 current names total index=0 removed=0 name doomed
    acquire_lock
    current=$(current_release)
    names=$(release_names)
    [[ -n $names ]] || return 0
    total=$(wc -l <<<"$names")
    while IFS= read -r name; do
        index=$((index + 1))
        if ((index <= total - keep)) && [[ $name != "$current" ]]; then
            # Renamed first so an interrupted delete never leaves a half release to roll back to.
            doomed="$RELEASES/.pruning.$name"
            mv -T "$BACKUPS/$name" "$doomed"
            rm -rf -- "$doomed"
            removed=$((removed + 1))
        fi
    done <<<"$names"
    say "pruned $removed old release(s); kept $((total - removed)) in releases/backups"
}

main() {
    local action=deploy target='' target_given=0 keep=''
    wait_seconds=60
    while (($#)); do
        case $1 in
        -h | --help)
            printf '%s\n' "$USAGE"
            exit 0
            ;;
        --list) action=list ;;
        --rollback) action=rollback ;;
        --keep | --wait)
            (($# >= 2)) || usage_error "$1 needs a value"
            if [[ $1 == --keep ]]; then
                keep=$(bounded_number "$1" "$2" 1 "$KEEP_MAX")
            else
                wait_seconds=$(bounded_number "$1" "$2" 0 "$WAIT_MAX")
            fi
            shift
            ;;
        -*) usage_error "unknown option '$1'" ;;
        *)
            ((!target_given)) || usage_error "one commit-ish or timestamp at a time, got '$target' and '$1'"
            target=$1 target_given=1
            ;;
        esac
        shift
    done
    [[ $action != list || (target_given -eq 0 && -z $keep) ]] || usage_error "--list takes no other argument"
    if ((target_given)) && [[ -z $target ]]; then
        [[ $action != rollback ]] || usage_error "--rollback needs a release timestamp like 20261122T093000Z, got ''"
        usage_error "the commit-ish is empty: name a commit, branch or tag, or leave it out to publish HEAD"
    fi
    if [[ $action == deploy && -n $keep && -z $target ]]; then
        action=prune
    fi

    trap clean_up EXIT
    trap 'exit 130' INT
    trap 'exit 143' TERM
    if [[ $action != list ]]; then
        require_tool flock "to serialise concurrent deploys"
    fi
    case $action in
    deploy) deploy "${target:-HEAD}" ;;
    rollback) rollback "$target" ;;
    list) list_releases ;;
    prune) ;; # --keep alone: the pruning below is the whole job
    esac
    if [[ -n $keep ]]; then
        prune "$keep"
    fi
}

main "$@"
