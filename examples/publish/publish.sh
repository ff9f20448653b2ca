#!/usr/bin/env bash
# Publish a feed on a schedule: harvest what fact-checkers published → build the next signed
# sequence on top of the live feed → verify it → leave the folder to upload in $SITE_DIR.
# Run by the CI workflow beside it (github-workflow.yml); DRY_RUN=1 stops before anything leaves
# the machine and lists what would be published. See docs/publishing.md.
#
# Environment (secrets from the CI's secret store, never in the repository):
#   FEED_SIGNING_KEY       the feed's secret key (the text of feed-key.secret)
#   FEED_SIGNING_KEY_NEXT  optional: a second secret key during a key rotation (both sign)
#   FEED_PUBLIC_KEYS       the public keys every published file must verify with (base64 or files, space-separated)
# Configuration:
#   FEED_JSON     the feed's {id, name, publisher, reportEndpoint?} (default feed.json)
#   INPUTS        record files or URLs, space-separated (DataFeed, Fact-Check Insights export, …)
#   PAGES_FILE    optional: fact-check article URLs, one a line
#   CONTACT_URL   a page for site owners, sent in the User-Agent
#   LIVE_DIR      the feed as published now (its index.json), if any: the new sequence follows it
#   SITE_DIR      where the new feed folder is written (default site)
#   WORK_DIR      harvest output and its cache (keep it between runs: only new media are fetched)
#   AD            the command (default already-debunked); EXTRA_FLAGS added to each call
set -euo pipefail

: "${FEED_SIGNING_KEY:?set FEED_SIGNING_KEY (the secret key of the feed, from the CI secret store)}"
: "${FEED_PUBLIC_KEYS:?set FEED_PUBLIC_KEYS (the public key readers pinned)}"
: "${INPUTS:=}"
FEED_JSON=${FEED_JSON:-feed.json}
SITE_DIR=${SITE_DIR:-site}
WORK_DIR=${WORK_DIR:-harvest}
LIVE_DIR=${LIVE_DIR:-}
read -r -a AD_CMD <<< "${AD:-already-debunked}"
read -r -a EXTRA <<< "${EXTRA_FLAGS:-}"

keys_dir=$(mktemp -d)
trap 'rm -rf "$keys_dir"' EXIT
( umask 077
  printf '%s\n' "$FEED_SIGNING_KEY" > "$keys_dir/current.secret"
  if [ -n "${FEED_SIGNING_KEY_NEXT:-}" ]; then printf '%s\n' "$FEED_SIGNING_KEY_NEXT" > "$keys_dir/next.secret"; fi )
key_args=(--key "$keys_dir/current.secret")
[ -f "$keys_dir/next.secret" ] && key_args+=(--key "$keys_dir/next.secret")

harvest_args=(--feed "$FEED_JSON" --out "$WORK_DIR")
for input in $INPUTS; do harvest_args+=(--input "$input"); done
[ -n "${PAGES_FILE:-}" ] && harvest_args+=(--pages "$PAGES_FILE")
[ -n "${CONTACT_URL:-}" ] && harvest_args+=(--contact "$CONTACT_URL")
echo "== harvest" >&2
"${AD_CMD[@]}" harvest "${harvest_args[@]}" "${EXTRA[@]}"

base_args=()
if [ -n "$LIVE_DIR" ] && [ -f "$LIVE_DIR/index.json" ]; then base_args=(--base "$LIVE_DIR"); fi
rm -rf "$SITE_DIR"
echo "== build" >&2
"${AD_CMD[@]}" build --input "$WORK_DIR/reviews.json" "${key_args[@]}" --out "$SITE_DIR" "${base_args[@]}" "${EXTRA[@]}"

pub_args=()
for pub in $FEED_PUBLIC_KEYS; do pub_args+=(--pub "$pub"); done
echo "== verify" >&2
"${AD_CMD[@]}" verify "${pub_args[@]}" "$SITE_DIR" "${EXTRA[@]}"

if [ "${DRY_RUN:-0}" = 1 ]; then
  echo "dry run: would publish $(find "$SITE_DIR" -type f | wc -l) files from $SITE_DIR:"
  (cd "$SITE_DIR" && find . -type f | sort)
else
  echo "ready to upload: $SITE_DIR"
fi
