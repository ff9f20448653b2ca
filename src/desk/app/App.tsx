/**
 * The desk's web app: log in, work the queue of clusters (busiest first), decide — dismiss, already
 * covered, draft an entry — correct or withdraw entries, and publish. Plain buttons, labels and
 * headings: usable with the keyboard alone; focus moves to what an action opened.
 */
import { useEffect, useLayoutEffect, useRef, useState } from 'preact/hooks';
import type { ClusterDetail, ClusterSummary, DraftFields, EntrySummary, PublishResult, SessionInfo } from '../../shared/desk-api';
import { ApiError, api, setSession } from './api';

type View = 'queue' | 'entries' | 'audit';
const STATES = ['open', 'drafted', 'covered', 'dismissed'] as const;
const CATEGORIES: [DraftFields['category'], string][] = [
  ['DecontextualizedContent', 'Out of context (authentic media, wrong context)'],
  ['EditedOrCroppedContent', 'Edited or cropped'],
  ['TransformedContent', 'Transformed'],
  ['StagedContent', 'Staged'],
  ['SatireOrParodyContent', 'Satire or parody'],
  ['OriginalMediaContent', 'Original, in context'],
];
const when = (iso: string) => new Date(iso).toLocaleString('en-GB', { dateStyle: 'medium', timeStyle: 'short', timeZone: 'UTC' }) + ' UTC';
const message = (e: unknown) => (e instanceof Error ? e.message : String(e));

export function App() {
  const [session, setS] = useState<SessionInfo | null | undefined>(undefined);
  const load = () =>
    api<SessionInfo>('GET', '/api/session').then(
      (s) => (setSession(s), setS(s)),
      () => (setSession(null), setS(null)),
    );
  useEffect(() => void load(), []);
  if (session === undefined) return <main aria-busy="true">Loading…</main>;
  if (session === null) return <Login onDone={load} />;
  if (session.mustChangePassword) return <ChangePassword onDone={load} first />;
  return <Desk session={session} onLogout={() => (setSession(null), setS(null))} />;
}

/**
 * Focus on mount (the autofocus attribute works only once per document). A layout effect, so the
 * field has focus by the time the view is painted: a keyboard user who starts typing as soon as the
 * form appears (or a password manager) never types into nothing.
 */
function useFocus<T extends HTMLElement>() {
  const ref = useRef<T>(null);
  useLayoutEffect(() => ref.current?.focus(), []);
  return ref;
}

function Login({ onDone }: { onDone: () => void }) {
  const [error, setError] = useState('');
  const first = useFocus<HTMLInputElement>();
  const submit = async (e: Event) => {
    e.preventDefault();
    const f = new FormData(e.currentTarget as HTMLFormElement);
    try {
      await api('POST', '/api/login', { username: String(f.get('username')), password: String(f.get('password')) });
      onDone();
    } catch (err) {
      setError(message(err));
    }
  };
  return (
    <main class="login">
      <h1>Already Debunked desk</h1>
      <form onSubmit={submit}>
        <label for="username">User name</label>
        <input id="username" name="username" autoComplete="username" required ref={first} />
        <label for="password">Password</label>
        <input id="password" name="password" type="password" autoComplete="current-password" required />
        <button class="primary" type="submit">Log in</button>
        <p role="alert" class="error">{error}</p>
      </form>
    </main>
  );
}

function ChangePassword({ onDone, first }: { onDone: () => void; first?: boolean }) {
  const [error, setError] = useState('');
  const focus = useFocus<HTMLInputElement>();
  const submit = async (e: Event) => {
    e.preventDefault();
    const f = new FormData(e.currentTarget as HTMLFormElement);
    try {
      await api('POST', '/api/password', { current: String(f.get('current')), next: String(f.get('next')) });
      onDone();
    } catch (err) {
      setError(message(err));
    }
  };
  return (
    <main class="login">
      <h1>Choose a new password</h1>
      {first && <p>This was a one-time password. Choose your own (at least 12 characters).</p>}
      <form onSubmit={submit}>
        <label for="current">Current password</label>
        <input id="current" name="current" type="password" autoComplete="current-password" required ref={focus} />
        <label for="next">New password</label>
        <input id="next" name="next" type="password" autoComplete="new-password" minLength={12} required />
        <button class="primary" type="submit">Save password</button>
        <p role="alert" class="error">{error}</p>
      </form>
    </main>
  );
}

function Desk({ session, onLogout }: { session: SessionInfo; onLogout: () => void }) {
  const [view, setView] = useState<View>('queue');
  const [status, setStatus] = useState('');
  const publisher = session.role !== 'reviewer';
  const publish = async () => {
    setStatus('Publishing…');
    try {
      const r = await api<PublishResult>('POST', '/api/publish', {});
      setStatus(`Published sequence ${r.seq}: ${r.entries} entries, ${r.changed} changed. ${r.verified}`);
    } catch (e) {
      setStatus(`Publishing failed: ${message(e)}`);
    }
  };
  const logout = async () => {
    await api('POST', '/api/logout', {}).catch(() => undefined);
    onLogout();
  };
  return (
    <>
      <header>
        <h1>Already Debunked desk</h1>
        <nav aria-label="Sections">
          <button aria-current={view === 'queue' ? 'page' : undefined} onClick={() => setView('queue')}>Queue</button>
          <button aria-current={view === 'entries' ? 'page' : undefined} onClick={() => setView('entries')}>Entries</button>
          {session.role === 'admin' && <button aria-current={view === 'audit' ? 'page' : undefined} onClick={() => setView('audit')}>Audit log</button>}
        </nav>
        {publisher && <button class="primary" onClick={() => void publish()}>Publish feed</button>}
        <span class="muted">{session.username} ({session.role})</span>
        <button onClick={() => void logout()}>Log out</button>
      </header>
      <main>
        <p role="status" aria-live="polite">{status}</p>
        {view === 'queue' && <Queue session={session} onStatus={setStatus} />}
        {view === 'entries' && <Entries session={session} onStatus={setStatus} />}
        {view === 'audit' && <Audit />}
      </main>
    </>
  );
}

function Queue({ session, onStatus }: { session: SessionInfo; onStatus: (s: string) => void }) {
  const [state, setState] = useState<(typeof STATES)[number]>('open');
  const [clusters, setClusters] = useState<ClusterSummary[] | null>(null);
  const [selected, setSelected] = useState<number | null>(null);
  const [error, setError] = useState('');
  const refresh = () =>
    api<{ clusters: ClusterSummary[] }>('GET', `/api/queue?state=${state}`).then(
      (q) => (setClusters(q.clusters), setError('')),
      (e) => setError(message(e)),
    );
  useEffect(() => void refresh(), [state]);
  return (
    <div class="layout">
      <section aria-labelledby="queue-title">
        <h2 id="queue-title">Reported media</h2>
        <label for="queue-state">Show </label>
        <select id="queue-state" value={state} onChange={(e) => (setState((e.currentTarget as HTMLSelectElement).value as typeof state), setSelected(null))}>
          {STATES.map((s) => <option value={s}>{s}</option>)}
        </select>{' '}
        <button onClick={() => void refresh()}>Refresh</button>
        <p class="error" role="alert">{error}</p>
        {clusters && !clusters.length && <p>Nothing here.</p>}
        <ul class="queue">
          {clusters?.map((c) => (
            <li key={c.id}>
              <button aria-pressed={selected === c.id} onClick={() => setSelected(c.id)} data-cluster={c.id}>
                {c.hasThumb ? <img class="thumb" src={`/api/clusters/${c.id}/thumb`} alt="" loading="lazy" /> : <span class="thumb" />}
                <span>
                  <span class="count">{c.reportCount} {c.reportCount === 1 ? 'report' : 'reports'}</span> · {c.kind === 'entry' ? `disputes entry ${c.entryId}` : c.kind}
                  <br />
                  <span class="muted">last {when(c.lastAt)}</span>
                  <br />
                  {c.coverage ? <span>covered by {c.coverage.entryId} ({c.coverage.state}{c.coverage.status === 'withdrawn' ? ', withdrawn' : ''})</span> : <span class="muted">no entry yet</span>}
                </span>
              </button>
            </li>
          ))}
        </ul>
      </section>
      {selected !== null && <ClusterView key={selected} id={selected} session={session} onStatus={onStatus} onDecided={() => (setSelected(null), void refresh())} />}
    </div>
  );
}

function ClusterView({ id, session, onStatus, onDecided }: { id: number; session: SessionInfo; onStatus: (s: string) => void; onDecided: () => void }) {
  const [detail, setDetail] = useState<ClusterDetail | null>(null);
  const [entries, setEntries] = useState<EntrySummary[]>([]);
  const [drafting, setDrafting] = useState(false);
  const [error, setError] = useState('');
  const heading = useRef<HTMLHeadingElement>(null);
  useEffect(() => {
    api<ClusterDetail>('GET', `/api/clusters/${id}`).then(setDetail, (e) => setError(message(e)));
    api<{ entries: EntrySummary[] }>('GET', '/api/entries').then((r) => setEntries(r.entries), () => undefined);
  }, [id]);
  useEffect(() => heading.current?.focus(), [detail !== null]);
  const act = async (path: string, body: unknown, done: string) => {
    try {
      await api('POST', path, body);
      onStatus(done);
      onDecided();
    } catch (e) {
      setError(message(e));
    }
  };
  if (!detail) return <section aria-busy="true">{error ? <p class="error">{error}</p> : 'Loading…'}</section>;
  const c = detail.cluster;
  return (
    <section aria-labelledby="cluster-title">
      <h2 id="cluster-title" tabIndex={-1} ref={heading}>
        {c.reportCount} {c.reportCount === 1 ? 'report' : 'reports'} about this {c.kind === 'entry' ? `entry (${c.entryId})` : 'picture'}
      </h2>
      {c.hasThumb && <img class="big" src={`/api/clusters/${c.id}/thumb`} alt="The reported picture" />}
      <p>
        First reported {when(c.firstAt)}, last {when(c.lastAt)}. State: {c.state}
        {c.coveredBy ? ` (entry ${c.coveredBy})` : ''}.{' '}
        {c.coverage ? `A feed entry covers it: ${c.coverage.entryId} (${c.coverage.state}, ${c.coverage.status}).` : 'No feed entry covers it yet.'}
      </p>
      <p class="error" role="alert">{error}</p>
      <div class="actions" role="group" aria-label="Decide">
        <button onClick={() => void act(`/api/clusters/${c.id}/dismiss`, {}, `Dismissed ${c.reportCount} reports.`)}>Dismiss</button>{' '}
        {c.kind !== 'entry' && <button class="primary" onClick={() => setDrafting(true)}>Draft an entry</button>}{' '}
        <CoveredBy entries={entries} onPick={(entryId) => void act(`/api/clusters/${c.id}/covered`, { entryId }, `Marked as covered by ${entryId}.`)} />
      </div>
      {c.kind === 'entry' && c.entryId && <EntryActions entry={entries.find((e) => e.id === c.entryId) ?? null} session={session} onStatus={onStatus} />}
      {drafting && <DraftForm initial={detail.draft} clusterId={c.id} session={session} onSaved={(s) => (onStatus(s), onDecided())} />}
      <h3>Reports</h3>
      <ul class="reports">
        {detail.reports.map((r) => (
          <li key={r.reportId}>
            <a href={r.postUrl} rel="noreferrer noopener" target="_blank">{r.postUrl}</a> by @{r.author} · {r.reason} · {when(r.receivedAt)}
            {r.text && <blockquote>{r.text}</blockquote>}
            {r.note && <p>Reader’s note: {r.note}</p>}
          </li>
        ))}
      </ul>
    </section>
  );
}

function CoveredBy({ entries, onPick }: { entries: EntrySummary[]; onPick: (id: string) => void }) {
  const [value, setValue] = useState('');
  if (!entries.length) return null;
  return (
    <span>
      <label for="covered-by">Already covered by entry</label>{' '}
      <select id="covered-by" value={value} onChange={(e) => setValue((e.currentTarget as HTMLSelectElement).value)}>
        <option value="">choose…</option>
        {entries.map((e) => <option value={e.id}>{e.id}</option>)}
      </select>{' '}
      <button disabled={!value} onClick={() => onPick(value)}>Mark covered</button>
    </span>
  );
}

function DraftForm({ initial, clusterId, entryId, session, onSaved }: { initial: DraftFields; clusterId: number | null; entryId?: string; session: SessionInfo; onSaved: (status: string) => void }) {
  const [f, setF] = useState<DraftFields>(initial);
  const [error, setError] = useState('');
  const first = useRef<HTMLInputElement>(null);
  useEffect(() => first.current?.focus(), []);
  const field = (name: keyof DraftFields, label: string, props: Record<string, unknown> = {}) => (
    <>
      <label for={`f-${name}`}>{label}</label>
      <input id={`f-${name}`} value={f[name]} onInput={(e) => setF({ ...f, [name]: (e.currentTarget as HTMLInputElement).value })} {...props} />
    </>
  );
  const save = async (ready: boolean) => {
    try {
      const saved = entryId ? await api<{ note?: string }>('PUT', `/api/entries/${entryId}`, { fields: f, ready }) : await api<{ note?: string }>('POST', '/api/entries', { clusterId, fields: f, ready });
      onSaved(`Entry ${f.id} saved${ready ? ', ready to publish' : ' as a draft'}.${saved?.note ? ` ${saved.note[0]!.toUpperCase()}${saved.note.slice(1)}.` : ''}`);
    } catch (e) {
      setError(message(e));
    }
  };
  return (
    <form class="grid" aria-label={entryId ? `Correct entry ${entryId}` : 'Draft an entry'} onSubmit={(e) => (e.preventDefault(), void save(false))}>
      <label for="f-id">Entry id</label>
      <input id="f-id" ref={first} value={f.id} readOnly={!!entryId} onInput={(e) => setF({ ...f, id: (e.currentTarget as HTMLInputElement).value })} required />
      <label for="f-claim">The claim</label>
      <textarea id="f-claim" value={f.claim} onInput={(e) => setF({ ...f, claim: (e.currentTarget as HTMLTextAreaElement).value })} required />
      <label for="f-category">Verdict</label>
      <select id="f-category" value={f.category} onChange={(e) => setF({ ...f, category: (e.currentTarget as HTMLSelectElement).value as DraftFields['category'] })}>
        {CATEGORIES.map(([v, l]) => <option value={v}>{l}</option>)}
      </select>
      {field('rating', 'Rating as published', { required: true })}
      {field('context', 'Original context (where and when it is really from)')}
      {field('contextDate', 'Original date')}
      {field('contextLocation', 'Original place')}
      {field('factCheckUrl', 'Fact-check address', { type: 'url', required: true })}
      {field('headline', 'Fact-check headline', { required: true })}
      {field('inLanguage', 'Language', { required: true })}
      {field('datePublished', 'Published on', { required: true, pattern: '\\d{4}-\\d{2}-\\d{2}' })}
      <p role="alert" class="error wide">{error}</p>
      <div class="actions">
        <button type="submit">Save draft</button>
        {session.role !== 'reviewer' && <button type="button" class="primary" onClick={() => void save(true)}>Save, ready to publish</button>}
      </div>
    </form>
  );
}

function EntryActions({ entry, session, onStatus }: { entry: EntrySummary | null; session: SessionInfo; onStatus: (s: string) => void }) {
  const [editing, setEditing] = useState(false);
  const [error, setError] = useState('');
  if (!entry) return <p class="muted">This feed entry is not one of this desk’s.</p>;
  const withdraw = async () => {
    try {
      await api('POST', `/api/entries/${entry.id}/withdraw`, {});
      onStatus(`Entry ${entry.id} withdrawn: publish to tell readers.`);
    } catch (e) {
      setError(message(e));
    }
  };
  return (
    <div>
      <p>
        Entry {entry.id}: {entry.status}, {entry.state}, rev {entry.rev}.
      </p>
      {session.role !== 'reviewer' && (
        <>
          <button onClick={() => setEditing(true)}>Correct entry {entry.id}</button>{' '}
          {entry.status !== 'withdrawn' && <button onClick={() => void withdraw()}>Withdraw entry {entry.id}</button>}
        </>
      )}
      <p class="error" role="alert">{error}</p>
      {editing && <DraftForm initial={entry.fields} clusterId={entry.clusterId} entryId={entry.id} session={session} onSaved={(s) => (setEditing(false), onStatus(s))} />}
    </div>
  );
}

function Entries({ session, onStatus }: { session: SessionInfo; onStatus: (s: string) => void }) {
  const [entries, setEntries] = useState<EntrySummary[] | null>(null);
  const [open, setOpen] = useState<string | null>(null);
  const refresh = () => api<{ entries: EntrySummary[] }>('GET', '/api/entries').then((r) => setEntries(r.entries), () => setEntries([]));
  useEffect(() => void refresh(), []);
  if (!entries) return <p aria-busy="true">Loading…</p>;
  return (
    <section aria-labelledby="entries-title">
      <h2 id="entries-title">Entries</h2>
      {!entries.length && <p>No entries yet: draft one from the queue.</p>}
      <table>
        <thead>
          <tr><th scope="col">Entry</th><th scope="col">Claim</th><th scope="col">State</th><th scope="col">Rev</th><th scope="col">Last change</th><th scope="col">Actions</th></tr>
        </thead>
        <tbody>
          {entries.map((e) => (
            <tr key={e.id}>
              <td>{e.id}</td>
              <td>{e.claim}</td>
              <td>{e.state}, {e.status}{e.publishedRev !== null && e.publishedRev !== e.rev ? ' (changed since publishing)' : ''}</td>
              <td>{e.rev}</td>
              <td>{when(e.updatedAt)} by {e.updatedBy}</td>
              <td><button onClick={() => setOpen(open === e.id ? null : e.id)} aria-expanded={open === e.id}>Manage {e.id}</button></td>
            </tr>
          ))}
        </tbody>
      </table>
      {open && <EntryActions key={open} entry={entries.find((e) => e.id === open) ?? null} session={session} onStatus={(s) => (onStatus(s), void refresh())} />}
    </section>
  );
}

function Audit() {
  const [events, setEvents] = useState<{ at: string; username: string; action: string; target: string | null }[] | null>(null);
  useEffect(() => void api<{ events: NonNullable<typeof events> }>('GET', '/api/audit').then((r) => setEvents(r.events), () => setEvents([])), []);
  return (
    <section aria-labelledby="audit-title">
      <h2 id="audit-title">Audit log</h2>
      <table>
        <thead><tr><th scope="col">When</th><th scope="col">Who</th><th scope="col">What</th><th scope="col">On</th></tr></thead>
        <tbody>{events?.map((e, i) => <tr key={i}><td>{when(e.at)}</td><td>{e.username}</td><td>{e.action}</td><td>{e.target ?? ''}</td></tr>)}</tbody>
      </table>
    </section>
  );
}

export { ApiError };
