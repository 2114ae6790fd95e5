import { readFileSync } from 'node:fs';
import type { Command } from 'commander';
import { type MalformedRow, type RawBarColumns, parseCsvBarColumns } from '../data/csv-bars.js';
import { readParquetColumns } from '../data/parquet-bars.js';
import { inferTimeframe, parseTimeframe } from '../data/timeframe.js';
import {
  type Calendar,
  DEFAULT_OUTLIER_Z,
  type ValidationReport,
  validateBars,
} from '../data/validate-bars.js';
import { TickerError, invalid } from '../model/index.js';
import { loadBars } from '../storage/index.js';
import {
  type StoreFlags,
  dateFlag,
  openDataStore,
  resolveSeries,
  shortTime,
  storeOptions,
} from './data-store.js';

interface CheckOpts extends StoreFlags {
  symbol?: string;
  venue?: string;
  timeframe?: string;
  from?: string;
  to?: string;
  calendar?: string;
  maxGapBars?: string;
  outlierZ?: string;
  examples?: string;
  json?: boolean;
}

export function registerDataCheck(data: Command): void {
  storeOptions(
    data
      .command('check')
      .description(
        'validate bars in a file or the store: gaps, duplicates, order, outliers, bad prices/volumes, OHLC consistency; exit 1 when problems are found',
      )
      .argument('[file]', 'a CSV or Parquet file (or use --symbol for a stored series)')
      .option('--symbol <symbol>', 'check a stored series instead of a file')
      .option('--venue <venue>', 'venue, when the symbol is stored for several')
      .option(
        '--timeframe <tf>',
        'bar length for the gap check (default: the stored one, or inferred from a file)',
      )
      .option('--from <date>', 'stored series: first bar (inclusive), ISO date, UTC')
      .option('--to <date>', 'stored series: end (exclusive), ISO date, UTC')
      .option(
        '--calendar <c>',
        '24x7 or weekdays (bars expected Monday–Friday UTC); default: weekdays when no bar falls on a weekend',
      )
      .option('--max-gap-bars <n>', 'do not count gaps of at most this many missing bars (default 0)')
      .option(
        '--outlier-z <z>',
        `robust z-score above which a log return is an outlier (default ${DEFAULT_OUTLIER_Z})`,
      )
      .option('--examples <n>', 'examples shown per kind of issue (default 5)')
      .option('--json', 'print the report as JSON'),
  )
    .addHelpText(
      'after',
      '\nExamples:\n  tickerml data check examples/data/GOOG.csv --max-gap-bars 1\n' +
        '  tickerml data check --symbol GOOG --json\n' +
        'The rules are in docs/STORAGE.md (data check).\n',
    )
    .action(async (file: string | undefined, o: CheckOpts) => {
      if ((file === undefined) === (o.symbol === undefined))
        throw invalid(
          file === undefined ? 'FILE' : '--symbol',
          file ?? o.symbol,
          'give either a FILE or --symbol (a stored series), not both',
        );
      const calendar = calendarFlag(o.calendar);
      const maxGapBars = intFlag('--max-gap-bars', o.maxGapBars, 0);
      const examples = intFlag('--examples', o.examples, 0);
      const outlierZ = o.outlierZ === undefined ? undefined : Number(o.outlierZ);
      if (outlierZ !== undefined && !(outlierZ > 0))
        throw invalid('--outlier-z', o.outlierZ, 'must be a number > 0');
      if (o.timeframe !== undefined) parseTimeframe(o.timeframe);

      let source: string;
      let bars: RawBarColumns;
      let malformed: MalformedRow[] = [];
      let timeframe = o.timeframe;
      let inferred = false;
      if (file !== undefined) {
        ({ cols: bars, malformed } = /\.(parquet|pq)$/i.test(file)
          ? await readParquetColumns(file, true)
          : parseCsvBarColumns(readText(file), file, true));
        source = file;
        if (timeframe === undefined) {
          timeframe = inferTimeframe(Float64Array.from(bars.ts).sort());
          inferred = timeframe !== undefined;
        }
      } else {
        const from = dateFlag('--from', o.from);
        const to = dateFlag('--to', o.to);
        const client = await openDataStore(o);
        try {
          const s = await resolveSeries(client, {
            symbol: o.symbol!,
            venue: o.venue,
            timeframe: o.timeframe,
          });
          timeframe = s.timeframe;
          bars = await loadBars(client, {
            instrumentId: s.instrumentId,
            timeframe: s.timeframe,
            ...(from !== undefined ? { from } : {}),
            ...(to !== undefined ? { to } : {}),
          });
          source = `${s.instrumentId} ${s.timeframe} (stored)`;
        } finally {
          await client.close();
        }
      }
      const report = validateBars(bars, {
        ...(timeframe !== undefined ? { timeframe } : {}),
        ...(calendar !== undefined ? { calendar } : {}),
        ...(outlierZ !== undefined ? { outlierZ } : {}),
        ...(examples !== undefined ? { examples } : {}),
        maxGapBars: maxGapBars ?? 0,
        malformed,
      });
      if (o.json) console.log(JSON.stringify({ source, timeframeInferred: inferred, ...report }, null, 2));
      else process.stdout.write(formatReport(source, report, inferred, calendar === undefined));
      process.exitCode = report.problems > 0 ? 1 : 0;
    });
}

function readText(file: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch (e) {
    throw new TickerError('FILE_NOT_FOUND', `cannot read ${file}: ${(e as Error).message}`, {
      field: 'FILE',
      value: file,
    });
  }
}

function calendarFlag(v: string | undefined): Calendar | undefined {
  if (v === undefined) return undefined;
  if (v === '24x7' || v === 'weekdays') return v;
  throw invalid('--calendar', v, 'must be 24x7 or weekdays');
}

function intFlag(flag: string, v: string | undefined, min: number): number | undefined {
  if (v === undefined) return undefined;
  const n = Number(v);
  if (!Number.isInteger(n) || n < min) throw invalid(flag, v, `must be an integer ≥ ${min}`);
  return n;
}

/** The report as text: a header, one line per kind of check, examples under each kind found. */
export function formatReport(
  source: string,
  r: ValidationReport,
  inferred: boolean,
  guessedCalendar: boolean,
): string {
  const span = r.rows > 0 && Number.isFinite(r.from) ? `, ${shortTime(r.from)} → ${shortTime(r.to)}` : '';
  const tf = r.timeframe === undefined ? 'unknown' : `${r.timeframe}${inferred ? ' (inferred)' : ''}`;
  const out = [
    `${source}: ${r.rows} bars${span}; timeframe ${tf}; calendar ${r.calendar}${guessedCalendar ? ' (guessed; --calendar to set)' : ''}`,
  ];
  const w = Math.max(...r.checks.map((c) => c.kind.length));
  for (const c of r.checks) {
    const extra = c.kind === 'gap' && c.count > 0 ? ` (${c.missingBars} bars missing)` : '';
    out.push(
      `  ${c.count === 0 ? 'ok ' : '!! '}${c.kind.padEnd(w)} ${String(c.count).padStart(7)}  ${c.rule}${extra}`,
    );
    for (const e of c.examples) {
      const where = [e.time, e.line !== undefined ? `line ${e.line}` : ''].filter(Boolean).join(' ');
      out.push(`        ${where}: ${e.field} = ${e.value}${e.detail ? ` (${e.detail})` : ''}`);
    }
    if (c.count > c.examples.length && c.examples.length > 0)
      out.push(`        … and ${c.count - c.examples.length} more (--examples N shows more)`);
  }
  for (const n of r.notes) out.push(`  note: ${n}`);
  out.push(r.problems === 0 ? 'no problems found' : `${r.problems} problem(s) found`);
  return out.join('\n') + '\n';
}
