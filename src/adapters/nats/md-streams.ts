import { type JetStreamManager, RetentionPolicy, StorageType, type StreamConfig } from '@nats-io/jetstream';
import { nanos } from '@nats-io/transport-node';
import { TickerError, invalid } from '../../model/index.js';
import { MD_KINDS, type MdKind, type MdNames } from './md-names.js';

export interface MdStreamSettings {
  /** How long messages are kept (default 72 h). Consumers that stay away longer lose data. */
  readonly retentionHours?: number;
  /** JetStream's de-duplication window for `Nats-Msg-Id` (default 300 s; JetStream's own default is 120 s). */
  readonly duplicateWindowSec?: number;
}

/**
 * Creates MD_BOOK, MD_TRADE and MD_FUNDING when missing and verifies existing ones: they must capture our
 * subjects and de-duplicate (a duplicate window > 0). Limits (age) retention, file storage: several
 * consumers (the store, strategies) read the same data independently.
 */
export async function ensureMdStreams(
  jsm: JetStreamManager,
  names: MdNames,
  s: MdStreamSettings = {},
  kinds: readonly MdKind[] = MD_KINDS,
): Promise<void> {
  const hours = s.retentionHours ?? 72;
  if (!(hours > 0)) throw invalid('jetstream.retentionHours', s.retentionHours, 'must be > 0');
  const dupSec = s.duplicateWindowSec ?? 300;
  if (!(dupSec > 0)) throw invalid('jetstream.duplicateWindowSec', s.duplicateWindowSec, 'must be > 0');
  for (const kind of kinds) {
    const name = names.stream(kind);
    const want: Partial<StreamConfig> & { name: string; subjects: string[] } = {
      name,
      subjects: [names.filter(kind)],
      retention: RetentionPolicy.Limits,
      storage: StorageType.File,
      max_age: nanos(hours * 3_600_000),
      // The window may not exceed max_age.
      duplicate_window: nanos(Math.min(dupSec * 1000, hours * 3_600_000)),
    };
    let cfg = await info(jsm, name);
    if (!cfg) {
      try {
        await jsm.streams.add(want);
      } catch (e) {
        cfg = await info(jsm, name); // another collector created it first
        if (!cfg) throw e;
      }
    }
    if (cfg) verify(cfg, want);
  }
}

async function info(jsm: JetStreamManager, name: string): Promise<StreamConfig | undefined> {
  try {
    return (await jsm.streams.info(name)).config;
  } catch (e) {
    if (e instanceof Error && /not found/i.test(e.message)) return undefined;
    throw e;
  }
}

function verify(have: StreamConfig, want: { name: string; subjects: string[] }): void {
  const subjects = have.subjects ?? [];
  const missing = want.subjects.filter((s) => !subjects.includes(s));
  if (missing.length > 0)
    throw new TickerError(
      'MD_STREAM_MISMATCH',
      `stream ${want.name} exists but does not capture ${missing.join(', ')} (its subjects: ${subjects.join(', ') || 'none'}); ` +
        `delete it or choose another prefix`,
      { field: 'stream', value: want.name },
    );
  if (!(have.duplicate_window > 0))
    throw new TickerError(
      'MD_STREAM_MISMATCH',
      `stream ${want.name} exists without a duplicate window, so republished rows would be stored twice`,
      { field: 'stream', value: want.name },
    );
}
