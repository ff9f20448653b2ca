/**
 * Reports in, clusters out: the intake's storage step and the queue's reads. A report is stored
 * once (its reportId is the primary key: a retry is answered "duplicate" and changes nothing), and
 * in the same transaction each of its media joins its picture cluster (core/report/cluster.ts), or
 * the report joins the cluster of the feed entry it disputes. Intake is serialised in this process
 * (one picture clusterer in memory, loaded from the database at start).
 */
import { PictureClusterer, entryClusterKey, urlClusterKey, type Report } from '../../core/report';
import type { Db, Queryable } from './db';

export type Stored = 'stored' | 'duplicate';

export class ReportStore {
  private clusterer = new PictureClusterer();
  private chain: Promise<unknown> = Promise.resolve();

  constructor(readonly db: Db) {}

  /** Loads every picture member into the clusterer (at start, and after a failed transaction). */
  async load(): Promise<void> {
    const c = new PictureClusterer();
    const rows = await this.db.query<{ pdq: string; cluster_id: string | number }>(
      `select m.pdq, m.cluster_id from report_media m join clusters c on c.id = m.cluster_id where c.key is null and m.pdq is not null order by m.cluster_id`,
    );
    for (const r of rows) c.load(r.pdq, Number(r.cluster_id));
    this.clusterer = c;
  }

  /** Stores a validated report (serialised with other intakes). */
  receive(report: Report, sha256: string, now: Date): Promise<Stored> {
    const run = this.chain.then(() => this.receiveNow(report, sha256, now));
    this.chain = run.catch(() => undefined);
    return run;
  }

  private async receiveNow(report: Report, sha256: string, now: Date): Promise<Stored> {
    const added: { hex: string; cluster: number }[] = [];
    try {
      return await this.db.transaction(async (tx) => {
        const inserted = await tx.query(
          `insert into reports (id, kind, reason, created_at, received_at, post_url, post_id, author, sha256, body)
           values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) on conflict (id) do nothing returning id`,
          [report.reportId, report.kind, report.reason, report.createdAt, now.toISOString(), report.post.url, report.post.postId, report.post.author, sha256, JSON.stringify(report)],
        );
        if (!inserted.length) return 'duplicate';
        const clusters = new Set<number>();
        const firstThumb = report.media[0]?.url ?? null;
        if (report.match) {
          clusters.add(await this.keyed(tx, entryClusterKey(report.match), now, firstThumb));
        } else if (!report.media.length) {
          clusters.add(await this.keyed(tx, `post:${report.post.url}`, now, null));
        }
        for (const [i, m] of report.media.entries()) {
          let cluster: number | null = null;
          if (!report.match) {
            if (m.pdq && this.clusterer.comparable(m.pdq.quality)) {
              const near = this.clusterer.nearest(m.pdq.value);
              cluster = near?.cluster ?? (await this.newPicture(tx, m.pdq.value, now, m.url));
              this.clusterer.load(m.pdq.value, cluster);
              added.push({ hex: m.pdq.value, cluster });
            } else {
              cluster = await this.keyed(tx, urlClusterKey(m.url), now, m.url);
            }
            clusters.add(cluster);
          }
          await tx.query(`insert into report_media (report_id, idx, url, type, pdq, quality, cluster_id) values ($1, $2, $3, $4, $5, $6, $7)`, [
            report.reportId,
            i,
            m.url,
            m.type,
            m.pdq?.value ?? null,
            m.pdq?.quality ?? null,
            cluster,
          ]);
        }
        for (const c of clusters) {
          await tx.query('insert into report_clusters (report_id, cluster_id) values ($1, $2)', [report.reportId, c]);
          await tx.query('update clusters set report_count = report_count + 1, last_at = greatest(last_at, $2), first_at = least(first_at, $2) where id = $1', [c, now.toISOString()]);
        }
        return 'stored';
      });
    } catch (e) {
      if (added.length) await this.load().catch(() => undefined); // forget members of a rolled-back transaction
      throw e;
    }
  }

  private async newPicture(tx: Queryable, hex: string, now: Date, thumb: string): Promise<number> {
    const [r] = await tx.query<{ id: string | number }>(`insert into clusters (pdq, first_at, last_at, thumb_url) values ($1, $2, $2, $3) returning id`, [hex, now.toISOString(), thumb]);
    return Number(r!.id);
  }

  private async keyed(tx: Queryable, key: string, now: Date, thumb: string | null): Promise<number> {
    const [r] = await tx.query<{ id: string | number }>(
      `insert into clusters (key, first_at, last_at, thumb_url) values ($1, $2, $2, $3)
       on conflict (key) do update set thumb_url = coalesce(clusters.thumb_url, excluded.thumb_url) returning id`,
      [key, now.toISOString(), thumb],
    );
    return Number(r!.id);
  }
}
