#!/bin/sh
# Mutation testing in groups (TESTING.md): each group mutates a few files against the unit tests
# that exercise them, which is what makes a run fit on a shared 2-core machine. Reports go to
# reports/mutation/<group>.json. Usage: sh tests/mutate-groups.sh [group...]
set -u
cd "$(dirname "$0")/.."
run() {
  group=$1 mutate=$2 tests=$3
  echo "== $group: $mutate"
  AD_UNIT_TESTS=$tests nice -n 10 npx stryker run --mutate "$mutate" --concurrency "${CONCURRENCY:-2}" \
    --reporters progress-append-only,clear-text,json || echo "== $group: stryker failed"
  mkdir -p reports/mutation && cp reports/mutation/mutation.json "reports/mutation/$group.json" 2>/dev/null
}
U=tests/unit
[ $# -eq 0 ] && set -- outbox envelope rule sync floor matcher
for g in "$@"; do
  case $g in
    outbox) run outbox src/background/outbox.ts $U/background/outbox.test.ts ;;
    envelope) run envelope src/core/feed/envelope.ts $U/core/feed/signatures.test.ts,$U/core/feed/feed.test.ts ;;
    rule) run rule src/core/match/rule.ts,src/core/match/index.ts $U/core/match/rule.test.ts,$U/background/matcher.test.ts,$U/background/strictness.test.ts ;;
    floor) run floor src/core/feed/floor.ts $U/core/feed/floor.test.ts,$U/background/sync.test.ts ;;
    sync) run sync src/background/sync.ts $U/background/sync.test.ts,$U/background/feeds.test.ts ;;
    matcher) run matcher src/background/matcher.ts $U/background/matcher.test.ts ;;
    *) echo "unknown group $g" ;;
  esac
done
