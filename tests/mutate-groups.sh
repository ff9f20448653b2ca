#!/bin/sh
# Mutation testing in groups (TESTING.md): each group mutates a few files against the unit tests
# of that area, which is what makes a run fit on a shared 2-core machine. The groups of one folder
# do not overlap, so their sums are the folder's figure (tests/mutation-summary.mjs): a lower
# bound, as a mutant that only another area's tests would kill counts as survived.
# Reports go to reports/mutation/<group>.json. (Not Stryker's incremental mode: with the vitest
# runner it kept a survivor's result after a new test that kills it was added.)
# A mutant that makes a test run longer than its dry-run time plus TIMEOUT_MS (default 8 s; an
# endless loop, mostly) counts as a timeout, i.e. detected.
# Usage: sh tests/mutate-groups.sh [group...]   (no group: all, in the order below)
set -u
cd "$(dirname "$0")/.."
run() {
  group=$1 mutate=$2 tests=$3
  echo "== $group: $mutate ($(date -u +%FT%TZ), load $(cut -d' ' -f1-3 /proc/loadavg))"
  mkdir -p reports/mutation
  # A config per group (its own report file), so that two groups may run side by side.
  cfg=reports/mutation/$group.stryker.json
  node -e 'const c = require("./stryker.config.json"); c.jsonReporter = { fileName: process.argv[2] }; require("fs").writeFileSync(process.argv[1], JSON.stringify(c))' "$cfg" "reports/mutation/$group.json"
  AD_UNIT_TESTS=$tests nice -n 10 npx stryker run "$cfg" --mutate "$mutate" --concurrency "${CONCURRENCY:-2}" --timeoutMS "${TIMEOUT_MS:-8000}" --dryRunTimeoutMinutes "${DRY_RUN_MINUTES:-5}" \
    --reporters progress-append-only,clear-text,json || echo "== $group: stryker failed"
  echo "== $group: done ($(date -u +%FT%TZ), load $(cut -d' ' -f1-3 /proc/loadavg))"
}
U=tests/unit
B=src/background
F=src/core/feed
# The fast feed tests; feed.test.ts (40 s: its entry cap builds 200 000 entries) runs only in the feed group.
FEEDT=$U/core/feed/signatures.test.ts,$U/core/feed/envelope.test.ts,$U/core/feed/accept.test.ts,$U/core/feed/directory.test.ts,$U/core/feed/floor.test.ts,$U/core/feed/hardening.test.ts
# grouped.test.ts checks match/index.ts's grouped index (buildMatchIndex, groupedRows) against a flat one.
MATCHT=$U/core/match/rule.test.ts,$U/core/match/grouped-rows.test.ts,$U/core/match/match.test.ts,$U/core/match/video.test.ts,$U/core/index/grouped.test.ts,$U/background/matcher.test.ts,$U/background/strictness.test.ts
# store's files (db, feeds, floors, diagnostics, router, test points, trace) run in nearly every
# background test (each opens the database): against all of them a mutant took ~20 s on the loaded
# machine (2 h+ for the group). These are the tests that check them.
STORET=$(for t in db feeds feeds-schedule floors diagnostics router worker trace health outbox; do printf '%s,' "$U/background/$t.test.ts"; done | sed 's/,$//')
# glue likewise (its static mutants, index.ts's top-level wiring and the modules' constants, run
# against every test listed): the tests of its files.
GLUET=$(for t in handlers handlers-more worker media reports reports-delivery health glue directory-language settings-store router; do printf '%s,' "$U/background/$t.test.ts"; done | sed 's/,$//')
[ $# -eq 0 ] && set -- envelope accept sync outbox matcher floor rule background evidence report index match video core import feed pdq
# background: the rest of src/background, run as three groups (below).
set -- $(for g in "$@"; do if [ "$g" = background ]; then echo glue net store; else echo "$g"; fi; done)
for g in "$@"; do
  case $g in
    # src/core/feed (import/ apart): envelope + accept + floor + feed
    envelope) run envelope $F/envelope.ts $FEEDT ;;
    # Not verify-agreement.test.ts: its fuzzing (9 s) made most mutants time out on a loaded machine.
    accept) run accept $F/accept.ts $FEEDT,$U/background/sync.test.ts,$U/background/sync-files.test.ts,$U/background/feeds.test.ts,$U/background/sync-binary.test.ts ;;
    floor) run floor $F/floor.ts $FEEDT,$U/background/sync.test.ts ;;
    # feed: AD_FEED_QUICK=1 skips feed.test.ts's fuzz test (6 s a run, asks only for a FeedError).
    feed) AD_FEED_QUICK=1; export AD_FEED_QUICK; run feed "$F/*.ts,!$F/envelope.ts,!$F/accept.ts,!$F/floor.ts" $FEEDT,$U/core/feed/publish.test.ts,$U/core/feed/state.test.ts,$U/core/feed/directory-edges.test.ts,$U/core/feed/feed.test.ts,$U/core/feed/binary.test.ts,$U/core/feed/binary-hostile.test.ts,$U/core/feed/claimreview.test.ts,$U/core/feed/schema-bounds.test.ts,$U/core/feed/claimreview-fields.test.ts,$U/core/feed/build-fields.test.ts,$U/background/sync.test.ts; unset AD_FEED_QUICK ;;
    # Not import-cap.test.ts: its inputs of 200,000 reviews made each mutant it covers take a minute
    # (the group's estimate was 4.5 h on 2026-12-03); the cap's mutants it kills are listed in TESTING.md.
    import) run import "$F/import/*.ts" "$U/core/feed/import.test.ts,$U/core/feed/import-shapes.test.ts,$U/core/feed/claimreview.test.ts" ;;
    # src/core/match: rule + match
    rule) run rule src/core/match/rule.ts,src/core/match/index.ts $MATCHT ;;
    # match: its own tests only (lookup.ts and rows.ts have lookup.test.ts now; the background's
    # matcher and strictness tests made each surviving mutant cost tens of seconds).
    match) run match "src/core/match/*.ts,!src/core/match/rule.ts,!src/core/match/index.ts,!src/core/match/video.ts,!src/core/match/moving*.ts" $U/core/match/geometry.test.ts,$U/core/match/lookup.test.ts,$U/core/match/grouped-rows.test.ts,$U/core/match/rule.test.ts,$U/core/match/match.test.ts,$U/core/match/turn.test.ts,$U/core/match/video.test.ts,$U/core/match/shapes.test.ts,$U/core/match/moving.test.ts,$U/core/match/publish.test.ts,$U/core/match/turn-rules.test.ts,$U/core/match/regions.test.ts ;;
    # video: the frames' sizes, the keyframe cover, the moving picture and the evidence across frames.
    video) run video "src/core/match/video.ts,src/core/match/moving*.ts" "$(ls $U/core/match/video*.test.ts $U/core/match/moving*.test.ts 2>/dev/null | paste -sd, -),$U/background/video-evidence.test.ts" ;;
    # index: its own tests (not the background's matcher.test.ts, which reaches index/ through the matcher).
    # AD_INDEX_QUICK=1: grouped.test.ts's properties at 25 runs, not 150 (at load 12-17 the run
    # with 150 was estimated at hours: each survivor ran them in full; TESTING.md, fifth session).
    index) AD_INDEX_QUICK=1; export AD_INDEX_QUICK; run index "src/core/index/*.ts" $U/core/index/grouped.test.ts,$U/core/index/index.test.ts,$U/core/index/edges.test.ts,$U/core/index/radius.test.ts,$U/core/match/grouped-rows.test.ts; unset AD_INDEX_QUICK ;;
    report) run report "src/core/report/*.ts" "$(ls $U/core/report/*.test.ts | paste -sd, -)" ;;
    # pdq: not reference.test.ts (32 photos up to 512x512 through instrumented loops: the dry run
    # alone passed Stryker's 5 min at load 16), and AD_PDQ_QUICK=1 keeps the reference-synthetic
    # cases up to 17,000 pixels plus two larger ones (TESTING.md, fourth session).
    pdq) AD_PDQ_QUICK=1; export AD_PDQ_QUICK; run pdq "src/core/pdq/*.ts" $U/core/pdq/pixels.test.ts,$U/core/pdq/luma.test.ts,$U/core/pdq/luma-fill.test.ts,$U/core/pdq/reference-synthetic.test.ts,$U/core/pdq/pdq.test.ts,$U/core/pdq/canonical.test.ts; unset AD_PDQ_QUICK ;;
    core) run core "src/core/*.ts" "$(ls $U/core/*/*.test.ts | paste -sd, -),$U/cli/report-input.test.ts" ;;
    # src/background: outbox + sync + matcher + background
    outbox) run outbox $B/outbox.ts $U/background/outbox.test.ts ;;
    # sync-binary.test.ts (the binary form's commit in chunks) and trace.test.ts (the phase marks
    # commit() and syncFeed() leave, and their sums) test sync.ts too.
    sync) run sync $B/sync.ts $U/background/sync.test.ts,$U/background/sync-files.test.ts,$U/background/feeds.test.ts,$U/background/sync-binary.test.ts,$U/background/trace.test.ts ;;
    matcher) run matcher $B/matcher.ts $U/background/matcher.test.ts,$U/background/strictness.test.ts ;;
    # The rest of src/background, in three parts that each finish on a loaded machine (one part of
    # 1262 mutants was estimated at 2-3 h; Stryker writes a group's report only at its end).
    # The parts with no unit test of their own (the e2e tests drive them): mostly "no coverage".
    glue) run glue "$B/handlers.ts,$B/index.ts,$B/media.ts,$B/reports.ts,$B/health.ts,$B/history.ts,$B/language.ts,$B/menu.ts,$B/origin-rule.ts,$B/settings-store.ts,$B/directory.ts" $GLUET ;;
    # net: the tests that reach net.ts unmocked (against every background test a mutant took ~1 min
    # on the loaded machine: 168 mutants, 3 h).
    net) run net $B/net.ts $U/background/net.test.ts,$U/background/net-clock.test.ts,$U/background/media.test.ts,$U/background/sync.test.ts,$U/background/outbox.test.ts,$U/background/reports-delivery.test.ts ;;
    # evidence: the background's answer to each sampled frame (cs/match-frame).
    evidence) run evidence $B/video-evidence.ts $U/background/video-evidence.test.ts,$U/background/matcher.test.ts ;;
    store) run store "$B/*.ts,!$B/outbox.ts,!$B/sync.ts,!$B/matcher.ts,!$B/net.ts,!$B/handlers.ts,!$B/index.ts,!$B/media.ts,!$B/reports.ts,!$B/health.ts,!$B/history.ts,!$B/language.ts,!$B/menu.ts,!$B/origin-rule.ts,!$B/settings-store.ts,!$B/directory.ts,!$B/video-evidence.ts" $STORET ;;
    *) echo "unknown group $g" ;;
  esac
done
