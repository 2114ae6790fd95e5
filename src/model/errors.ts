/** An error with a stable machine-readable code, the field at fault and the value it had. */
export class TickerError extends Error {
  readonly code: string;
  readonly field: string | undefined;
  readonly value: unknown;
  constructor(
    code: string,
    message: string,
    opts: { field?: string; value?: unknown; cause?: unknown } = {},
  ) {
    super(message, opts.cause === undefined ? undefined : { cause: opts.cause });
    this.name = 'TickerError';
    this.code = code;
    this.field = opts.field;
    this.value = opts.value;
  }
}

export function invalid(field: string, value: unknown, rule: string): TickerError {
  return new TickerError('INVALID_ARGUMENT', `${field}: ${rule} (got ${JSON.stringify(value)})`, {
    field,
    value,
  });
}
