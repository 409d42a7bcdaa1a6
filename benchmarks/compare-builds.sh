#!/usr/bin/env bash
# Compares two builds of rapace alternately on this machine (see docs/benchmarks-rpc.md, "Two builds"): builds the
# shaded benchmarks jar of commit BEFORE and of commit AFTER (default HEAD), each in a temporary git worktree under
# /tmp that is removed afterwards (mvn -o package: nothing is installed into ~/.m2), then runs
# io.rapace.benchmarks.rpc.RpcBuildComparison from AFTER's jar (so AFTER must contain it) with the remaining
# arguments, such as --rounds 5 or --quick. The report goes to stdout, progress to stderr; the exit status is 2 if a
# figure of AFTER is worse than BEFORE's by more than 10%.
#
# usage: benchmarks/compare-builds.sh BEFORE [AFTER] [-- --rounds N [--quick] [--only SUBSTRING]]
set -euo pipefail

if [[ $# -lt 1 || $1 == -* ]]; then
    echo "usage: $0 BEFORE [AFTER] [-- --rounds N [--quick] [--only SUBSTRING]]" >&2
    exit 64
fi
repo=$(git -C "$(dirname "$0")" rev-parse --show-toplevel)
before=$(git -C "$repo" rev-parse --verify "$1^{commit}")
shift
after=$(git -C "$repo" rev-parse --verify HEAD)
if [[ $# -gt 0 && $1 != -- ]]; then
    after=$(git -C "$repo" rev-parse --verify "$1^{commit}")
    shift
fi
[[ $# -gt 0 && $1 == -- ]] && shift

work=$(mktemp -d /tmp/rapace-compare.XXXXXX)
worktrees=()
cleanup() {
    for w in "${worktrees[@]}"; do
        git -C "$repo" worktree remove --force "$w" 2>/dev/null || true
    done
    git -C "$repo" worktree prune
    rm -rf "$work"
}
trap cleanup EXIT

# build COMMIT NAME: the benchmarks jar of COMMIT, copied to $work/NAME.jar
build() {
    local dir="$work/$2"
    echo "== building $2: $(git -C "$repo" log -1 --format='%h %s' "$1")" >&2
    git -C "$repo" worktree add --detach --quiet "$dir" "$1"
    worktrees+=("$dir")
    (cd "$dir" && mvn -B -o -q -Dstyle.color=never package -pl benchmarks -am -DskipTests -Dinvoker.skip >&2)
    cp "$dir/benchmarks/target/benchmarks.jar" "$work/$2.jar"
    git -C "$repo" worktree remove --force "$dir"
}

build "$before" before
build "$after" after
java -cp "$work/after.jar" io.rapace.benchmarks.rpc.RpcBuildComparison \
    --jar-a "$work/before.jar" --label-a "$(git -C "$repo" log -1 --format='%h %s' "$before")" \
    --jar-b "$work/after.jar" --label-b "$(git -C "$repo" log -1 --format='%h %s' "$after")" "$@"
