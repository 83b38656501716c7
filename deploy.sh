#!/usr/bin/env bash
# Publishes the static site of a git commit to releases/current, keeps every
# release as a backup and rolls back in one command. Run ./deploy.sh --help.
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
LICENSE), validates it (importmap modules, the files index.html loads,
exports/mlp_weights.json and the size and sha256 of every file it lists),
stores it as releases/backups/<UTC timestamp>/ with a .commit file, then points
the symlink releases/current at it with one atomic rename. Serve it with
  python -m http.server --directory releases/current

Options:
  --rollback [TIMESTAMP]  make releases/backups/TIMESTAMP current
                          (default: the release before the current one)
  --list                  releases, oldest first: timestamp, commit, what was asked for
  --keep N                after publishing or rolling back (or alone), delete all but
                          the N newest releases; the current release is always kept
  --wait SECONDS          how long to wait for another running deploy.sh (default 60)
  -h, --help              this text

Exit status: 0 done, 1 failed (nothing changed), 2 bad usage.'

# Everything the page may need at run time; the rest of the tree never ships.
readonly SITE_ALLOWLIST=(index.html assets exports favicon.svg LICENSE)
readonly RELEASE_NAME_PATTERN='^[0-9]{8}T[0-9]{6}Z$'

REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd -P)
readonly REPO
readonly RELEASES="$REPO/releases"
readonly BACKUPS="$RELEASES/backups"
readonly CURRENT="$RELEASES/current"
readonly STAGING="$RELEASES/.deploy_tmp"
readonly NEXT_LINK="$RELEASES/.current.tmp"
readonly LOCK_FILE="$RELEASES/.deploy.lock"
readonly VALIDATOR="$REPO/scripts/validate_site.py"

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
    local path
    for path in "${undo_paths[@]}"; do
        rm -rf -- "$path"
    done
}

require_tool() {
    command -v "$1" >/dev/null 2>&1 || die "$1 is not installed: it is needed $2"
}

require_non_negative_integer() {
    [[ $2 =~ ^[0-9]+$ ]] || usage_error "$1 needs a whole number, got '$2'"
}

acquire_lock() {
    if ((lock_held)); then return; fi
    mkdir -p "$BACKUPS" || die "cannot create $BACKUPS"
    exec 9>>"$LOCK_FILE" || die "cannot open the lock file $LOCK_FILE"
    if ! flock -n 9; then
        say "another deploy.sh holds releases/.deploy.lock; waiting up to ${wait_seconds}s" >&2
        flock -w "$wait_seconds" 9 ||
            die "gave up after ${wait_seconds}s: another deploy.sh still holds releases/.deploy.lock (retry, or pass --wait SECONDS)"
    fi
    lock_held=1
    # Leftovers of a run that was killed (power cut, kill -9) are safe to drop now.
    rm -rf -- "$STAGING" "$NEXT_LINK" "$RELEASES"/.pruning.*
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

# The atomic step: rename(2) replaces the link, so a server resolving
# releases/current sees either the old release or the new one, never neither.
switch_current_to() {
    undo_paths+=("$NEXT_LINK")
    ln -s "backups/$1" "$NEXT_LINK"
    mv -T "$NEXT_LINK" "$CURRENT"
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
    [[ -f $VALIDATOR ]] || die "$VALIDATOR is missing: deploy.sh needs it to validate the site before publishing"
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
    local action=deploy target='' keep=''
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
            require_non_negative_integer "$1" "$2"
            # 10# reads "08" as eight, not as a bad octal number.
            if [[ $1 == --keep ]]; then keep=$((10#$2)); else wait_seconds=$((10#$2)); fi
            shift
            ;;
        -*) usage_error "unknown option '$1'" ;;
        *)
            [[ -z $target ]] || usage_error "one commit-ish or timestamp at a time, got '$target' and '$1'"
            target=$1
            ;;
        esac
        shift
    done
    if [[ -n $keep ]] && ((keep < 1)); then
        usage_error "--keep needs at least 1 (the current release is always kept)"
    fi
    if [[ $action == deploy && -n $keep && -z $target ]]; then
        action=prune
    fi
    [[ $action != list || (-z $target && -z $keep) ]] || usage_error "--list takes no other argument"

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
