type Level = 'info' | 'warn' | 'error';

/** Structured logs: one JSON object per line on stdout (errors on stderr). */
export function log(level: Level, message: string, fields: Record<string, unknown> = {}) {
  const line = JSON.stringify({ time: new Date().toISOString(), level, message, ...fields });
  if (level === 'error') console.error(line);
  else console.log(line);
}
